// From a checked model to a Plan: which template makes which file, for every context, and the
// stamp on each generated one. docs/generate.md describes the layout.
#pragma once

#include <filesystem>
#include <string>

#include "eskit/generate/plan.hpp"
#include "eskit/model/model.hpp"
#include "eskit/template/template.hpp"

namespace eskit::generate {

/// Renders every artefact of `model` with the templates of `templates`. `source` is how the
/// stamps name the model (its path relative to the output directory). The first template error
/// stops the run: a partial plan would delete the files of the templates that failed.
/// Generated C++ is laid out by clang-format's library, which costs more than rendering; with
/// `output`, a file there whose recorded render hash (its third line, `eskit-render:`) matches
/// is taken as it is instead of being laid out again.
tmpl::Expected<Plan> make_plan(const model::Model& model, tmpl::Environment& templates,
                               const std::string& source,
                               const std::filesystem::path* output = nullptr);

}  // namespace eskit::generate
