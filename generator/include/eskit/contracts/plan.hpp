// Every contract file of a model, as a generate::Plan so that `eskit contracts` writes and
// checks them with eskit generate's writer (generate/writer.hpp):
//   <context>/openapi.json                      when the context has an HTTP operation
//   <context>/asyncapi.json                     when it publishes or consumes events
//   <context>/events/<Event>.v<N>.schema.json   one JSON Schema per event version
#pragma once

#include "eskit/generate/plan.hpp"
#include "eskit/model/model.hpp"

namespace eskit::contracts {

/// Paths relative to the output directory, sorted; contents are byte-stable JSON.
generate::Plan contracts_plan(const model::Model& model);

}  // namespace eskit::contracts
