// What the model says a context's aggregates do, as the C++ snippets the templates lay out:
// for each command the lifecycle check, the preconditions, the changes (copies by name and
// `set:`) and the events it fills; for each aggregate how its events change it (to rebuild a
// state from history) and how it maps to its table.
#pragma once

#include "eskit/model/model.hpp"
#include "eskit/template/value.hpp"

namespace eskit::generate {

/// Rebuilds `aggregates` and `commands` (views made by view_model.cpp from `context`, sorted by
/// name) with a `behaviour` key each; `events` are the context's event views.
void add_behaviour(const model::Context& context, tmpl::List& aggregates, tmpl::List& commands,
                   const tmpl::List& events);

}  // namespace eskit::generate
