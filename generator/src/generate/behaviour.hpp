// What the model says a context's aggregates do, as the C++ snippets the templates lay out:
// for each command the lifecycle check, the preconditions, the changes (copies by name and
// `set:`) and the events it fills; for each aggregate how its events change it (to rebuild a
// state from history) and how it maps to its table.
#pragma once

#include <string>

#include "eskit/model/model.hpp"
#include "eskit/template/value.hpp"

namespace eskit::generate {

/// Rebuilds `aggregates` and `commands` (views made by view_model.cpp from `context` of `model`,
/// sorted by name) with a `behaviour` key each; `events` are the context's event views.
void add_behaviour(const model::Model& model, const model::Context& context, tmpl::List& aggregates,
                   tmpl::List& commands, const tmpl::List& events);

/// The columns of a table of `view`'s fields (an aggregate's or a read model's), in field order,
/// `key` left out unless `with_key`: each with its C++ column type and the expressions that
/// write (`to`, over the struct `variable`) and read (`from`, over the column `value`) it. Enums
/// are stored as their names, lists and value objects as JSON text.
tmpl::List table_columns(const tmpl::Object& view, const std::string& key, bool with_key,
                         const std::string& variable);

}  // namespace eskit::generate
