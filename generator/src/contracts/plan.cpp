#include "eskit/contracts/plan.hpp"

#include <algorithm>

#include "eskit/contracts/asyncapi.hpp"
#include "eskit/contracts/event_schema.hpp"
#include "eskit/contracts/json_text.hpp"
#include "eskit/contracts/openapi.hpp"

namespace eskit::contracts {

generate::Plan contracts_plan(const model::Model& model) {
  generate::Plan plan;
  auto add = [&](std::string path, const boost::json::object& doc) {
    plan.files.push_back({std::move(path), json_text(doc), generate::FileRole::generated});
  };
  for (const auto& context : model.contexts) {
    const std::string dir = context.name + "/";
    if (has_http_api(context)) add(dir + "openapi.json", openapi_document(model, context));
    if (has_event_api(model, context))
      add(dir + "asyncapi.json", asyncapi_document(model, context));
    for (const auto& event : context.events) {
      add(dir + "events/" + event.name + ".v" + std::to_string(event.version) + ".schema.json",
          event_schema(model, context, event));
    }
  }
  std::sort(plan.files.begin(), plan.files.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  return plan;
}

}  // namespace eskit::contracts
