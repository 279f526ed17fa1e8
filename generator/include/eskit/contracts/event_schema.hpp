// One event version as a JSON Schema (draft 2020-12) of its `data`: the payload inside the
// envelope (docs/messaging.md), written standalone so other tools can validate events with it.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "eskit/model/model.hpp"

namespace eskit::contracts {

/// `urn:eskit:<model>:<context>:<Event>:v<N>` — stable, so documents can refer to it.
std::string event_schema_id(const model::Model& model, const model::Context& context,
                            const model::Event& event);

/// The schema, with the value objects and enums it uses under `$defs`.
boost::json::object event_schema(const model::Model& model, const model::Context& context,
                                 const model::Event& event);

}  // namespace eskit::contracts
