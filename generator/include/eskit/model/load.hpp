// Reading and checking a model file: the entry point every eskit command uses.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "eskit/model/diagnostic.hpp"
#include "eskit/model/model.hpp"

namespace eskit::model {

/// Why a file could not be read at all (as opposed to a model with errors in it).
struct ReadFailure {
  std::string message;
};

/// The largest model file eskit reads; larger inputs are refused before parsing.
inline constexpr std::size_t max_model_bytes = 16u << 20;

/// Reads `path`. Returns the text, or a ReadFailure for a missing file, a directory, an
/// unreadable or oversized file.
std::variant<std::shared_ptr<const SourceFile>, ReadFailure> read_source(const std::string& path);

/// Parses the YAML and builds the model, reporting structural errors (unknown keys, wrong
/// shapes, bad type or expression syntax) to `diagnostics`. Returns null when the text is not
/// a YAML mapping at all.
std::unique_ptr<Model> parse_model(std::shared_ptr<const SourceFile> source,
                                   Diagnostics& diagnostics);

/// The semantic checks: references, names, types, flows. Adds to `diagnostics`.
void check_model(const Model& model, Diagnostics& diagnostics);

/// parse_model + check_model. The model is returned even with errors, so tools can show
/// what they could; callers act on it only when `diagnostics.has_errors()` is false.
std::shared_ptr<const Model> load_model(std::shared_ptr<const SourceFile> source,
                                        Diagnostics& diagnostics);

}  // namespace eskit::model
