// How a context reacts to events, as the templates lay it out: the other contexts' events it
// reads (`inbound`, structs of its own, since a service never includes another's code), its
// `policies` (event → correlation lookup → command) and, per view, the `projections` that keep
// the read model and the `queries` that serve it.
#pragma once

#include "eskit/model/model.hpp"
#include "eskit/template/value.hpp"

namespace eskit::generate {

/// Sets `inbound`, `policies` and `subscribes` on `context_view`, and rebuilds `views` with
/// `row` (the row's columns), `projections`, `topics` and `queries` each. `commands` and
/// `events` are the context's command and event views (with their behaviour).
void add_flows(const model::Model& model, const model::Context& context, tmpl::Object& context_view,
               const tmpl::List& commands, const tmpl::List& events, tmpl::List& views);

}  // namespace eskit::generate
