// The typed model as templates see it: a tmpl::Value tree with every name in the cases the
// templates need, C++ and SQL types resolved, and every collection sorted by name so the same
// model always renders the same bytes (docs/generate.md lists the keys).
#pragma once

#include <string>

#include "eskit/model/model.hpp"
#include "eskit/template/value.hpp"

namespace eskit::generate {

/// One bounded context of `model`: its enums, value objects, aggregates, commands, events,
/// views and the flows between them.
tmpl::Value context_view(const model::Model& model, const model::Context& context);

/// The system: its name and version, `source` (the model path written into file headers) and
/// every context's view, sorted by name.
tmpl::Value model_view(const model::Model& model, const std::string& source);

}  // namespace eskit::generate
