// A context's events as an AsyncAPI 3.0 document: the events it publishes (`send`, on its topic
// `<context>.events`) and those its policies, views and orchestrated sagas consume (`receive`,
// from the publishing context's topic), each message in the envelope of docs/messaging.md with
// the event version's data schema and the Kafka key (the aggregate id).
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "eskit/model/model.hpp"

namespace eskit::contracts {

/// The Kafka topic a context publishes every event on, keyed by aggregate id (as the generated
/// services do: generator/src/generate/view_model.cpp).
std::string events_topic(const model::Context& context);

/// Whether the context publishes or consumes any event; one that does neither gets no document.
bool has_event_api(const model::Model& model, const model::Context& context);

boost::json::object asyncapi_document(const model::Model& model, const model::Context& context);

}  // namespace eskit::contracts
