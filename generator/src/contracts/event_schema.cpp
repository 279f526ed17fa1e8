#include "eskit/contracts/event_schema.hpp"

#include "eskit/contracts/type_schema.hpp"

namespace eskit::contracts {

namespace json = boost::json;

std::string event_schema_id(const model::Model& model, const model::Context& context,
                            const model::Event& event) {
  return "urn:eskit:" + model.name.value + ":" + context.name + ":" + event.name + ":v" +
         std::to_string(event.version);
}

json::object event_schema(const model::Model& model, const model::Context& context,
                          const model::Event& event) {
  SchemaBuilder schemas(model, "#/$defs/", false);
  json::object body = schemas.object(context, event.fields);
  json::object out{
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"$id", event_schema_id(model, context, event)},
      {"title", context.name + "." + event.name + " v" + std::to_string(event.version)}};
  out["description"] = prose(event.description).empty()
                           ? "The data of a " + event.name + " event of " + context.name + "."
                           : prose(event.description);
  for (auto& [key, member] : body) out[key] = std::move(member);
  json::object defs = schemas.definitions();
  if (!defs.empty()) out["$defs"] = std::move(defs);
  return out;
}

}  // namespace eskit::contracts
