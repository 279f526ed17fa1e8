#include "eskit/deploy/service_facts.hpp"

#include <algorithm>

#include "eskit/runtime/text/env_name.hpp"
#include "eskit/template/case.hpp"

namespace eskit::deploy {

namespace {

using tmpl::Case;
using tmpl::to_case;

/// A default as the configuration module reads it from one variable: lists comma-separated.
std::string env_text(const model::Value& v) {
  if (v.kind == model::Value::Kind::list) {
    std::string out;
    for (const auto& item : v.items) {
      if (!out.empty()) out += ',';
      out += item.scalar;
    }
    return out;
  }
  return v.scalar;
}

bool uses_auth(const model::Context& c) {
  // The generator's rule (view_model.cpp): a role anywhere makes the service verify tokens.
  for (const auto& k : c.commands)
    if (!k.roles.empty()) return true;
  for (const auto& v : c.views)
    for (const auto& q : v.queries)
      if (!q.roles.empty()) return true;
  return false;
}

}  // namespace

std::string env_var(std::string_view setting) {
  return runtime::text::env_var_name("ESKIT", setting);
}

std::string jwt_secret_name(const model::Model& model) { return model.name.value + "-jwt"; }

std::string events_topic(const model::Context& context) {
  return to_case(context.name, Case::snake) + ".events";
}

std::vector<ServiceFacts> service_facts(const model::Model& model) {
  std::vector<ServiceFacts> out;
  for (const auto& c : model.contexts) {
    ServiceFacts f;
    f.context = c.name;
    f.service = to_case(c.name, Case::kebab);
    f.binary = model.name.value + "-" + c.name;
    f.target = model.name.value + "_" + c.name;
    f.postgresql = c.storage == model::Storage::postgresql;
    f.uses_auth = uses_auth(c);
    f.issues_tokens = std::any_of(c.commands.begin(), c.commands.end(),
                                  [](const auto& k) { return k.issues_token.has_value(); });

    f.config.push_back({"ESKIT_HTTP_ADDRESS", "0.0.0.0", "listen on the pod's address"});
    f.config.push_back({"ESKIT_HTTP_PORT", std::to_string(container_port), ""});
    f.config.push_back({"ESKIT_KAFKA_BOOTSTRAP_SERVERS", "kafka-kafka-bootstrap:9092",
                        "a Strimzi cluster named kafka; overlays change it"});
    f.config.push_back({"ESKIT_KAFKA_CLIENT_ID", c.name, ""});
    f.config.push_back({"ESKIT_LOG_LEVEL", "info", ""});
    if (f.postgresql) {
      // The URL carries the password, so it comes whole from a Secret.
      f.secrets.push_back({"ESKIT_DB_URL", model.name.value + "-" + f.service + "-db", "url"});
    } else {
      f.config.push_back({"ESKIT_DB_URL", std::string("sqlite:") + data_dir + "/" + c.name + ".db",
                          "on the writable data volume"});
    }
    for (const auto& k : c.calls) {
      const auto* callee = model.find_context(k.to.context.empty() ? c.name : k.to.context);
      const std::string host = to_case(callee ? callee->name : k.to.context, Case::kebab);
      f.config.push_back({env_var(c.name + "." + to_case(k.name, Case::camel) + ".url"),
                          "http://" + host + ":" + std::to_string(container_port),
                          "sync call " + k.name});
    }
    for (const auto& v : c.config) {
      const std::string name = env_var(c.name + "." + v.name);
      if (v.secret) {
        f.secrets.push_back(
            {name, model.name.value + "-" + f.service + "-config", to_case(v.name, Case::kebab)});
      } else if (v.default_value) {
        f.config.push_back({name, env_text(*v.default_value), v.description});
      } else {
        f.config.push_back({name, "", "required, no default in the model: set it in an overlay"});
      }
    }
    if (f.uses_auth) {
      f.config.push_back({"ESKIT_AUTH_JWT_ALGORITHM", "RS256", ""});
      f.config.push_back({"ESKIT_AUTH_JWT_ISSUER", model.name.value, "overlays set the real one"});
      f.config.push_back({"ESKIT_AUTH_JWT_AUDIENCE", model.name.value, ""});
      f.secrets.push_back({"ESKIT_AUTH_JWT_KEY", jwt_secret_name(model), "public.pem"});
      if (f.issues_tokens)
        f.secrets.push_back({"ESKIT_AUTH_JWT_SIGNING_KEY", jwt_secret_name(model), "private.pem"});
    }
    for (const auto& v : c.volumes)
      f.volumes.push_back({to_case(v.name, Case::kebab), v.path.value, v.size.value});
    std::sort(f.config.begin(), f.config.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    std::sort(f.secrets.begin(), f.secrets.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    std::sort(f.volumes.begin(), f.volumes.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace eskit::deploy
