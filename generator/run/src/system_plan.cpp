#include "eskit/run/system_plan.hpp"

#include <algorithm>
#include <map>

#include "eskit/runtime/text/env_name.hpp"
#include "eskit/template/case.hpp"

namespace eskit::run {

namespace {

using tmpl::Case;
using tmpl::to_case;

std::string env_var(const std::string& setting) {
  return runtime::text::env_var_name("ESKIT", setting);
}

// templates/cmake/system.cmake.tmpl adds a service only for these.
bool has_service(const model::Context& context) {
  return !context.aggregates.empty() || !context.views.empty();
}

// The literal part of an HTTP path, up to its first `{parameter}` segment.
std::string literal_prefix(const std::string& path) {
  std::string out;
  std::size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    const auto end = std::min(path.find('/', pos), path.size());
    const std::string segment = path.substr(pos, end - pos);
    if (segment.find('{') != std::string::npos) break;
    out += "/" + segment;
    pos = end;
  }
  return out.empty() ? "/" : out;
}

std::string first_segment(const std::string& path) {
  const auto prefix = literal_prefix(path);
  const auto slash = prefix.find('/', 1);
  return slash == std::string::npos ? prefix : prefix.substr(0, slash);
}

template <class F>
void each_http_path(const model::Context& context, F&& f) {
  for (const auto& k : context.commands)
    if (k.http) f(k.http->path, k.roles.empty());
  for (const auto& v : context.views)
    for (const auto& q : v.queries)
      if (q.http) f(q.http->path, q.roles.empty());
}

bool issues_tokens(const model::Context& context) {
  return std::any_of(context.commands.begin(), context.commands.end(),
                     [](const auto& k) { return k.issues_token.has_value(); });
}

}  // namespace

const ContextPlan* SystemPlan::find(std::string_view context) const {
  for (const auto& c : contexts)
    if (c.name == context) return &c;
  return nullptr;
}

SystemPlan plan_system(const model::Model& model) {
  SystemPlan plan;
  plan.name = model.name.value;
  const std::string model_snake = to_case(model.name.value, Case::snake);
  const std::string model_kebab = to_case(model.name.value, Case::kebab);
  for (const auto& role : model.roles) plan.roles.push_back(role.value);

  std::vector<std::string> public_paths;
  for (const auto& c : model.contexts) {
    if (!has_service(c)) {
      plan.without_service.push_back(c.name);
      continue;
    }
    ContextPlan p;
    p.name = c.name;
    const std::string snake = to_case(c.name, Case::snake);
    p.target = model_snake + "_" + snake;
    if (!c.events.empty()) p.topic = snake + ".events";
    p.executable = model_kebab + "-" + to_case(c.name, Case::kebab);
    p.binary_subdir = std::filesystem::path(snake) / "gen";
    p.postgresql = c.storage == model::Storage::postgresql;
    for (const auto& k : c.calls) {
      const std::string callee = k.to.context.empty() ? c.name : k.to.context;
      p.calls.emplace_back(env_var(c.name + "." + to_case(k.name, Case::camel) + ".url"), callee);
    }
    for (const auto& v : c.config) {
      if (v.secret && !v.default_value)
        p.generated_secrets.push_back(env_var(c.name + "." + v.name));
      // petcare's way of making the first administrator: a login id allowed to claim ADMIN.
      if (v.name == "adminLoginIds" && issues_tokens(c))
        p.defaults.emplace_back(env_var(c.name + "." + v.name), "admin");
    }
    each_http_path(c, [&](const std::string& path, bool is_public) {
      if (is_public) public_paths.push_back(literal_prefix(path));
    });
    plan.contexts.push_back(std::move(p));
  }

  if (!model.gateway_routes.empty()) {
    for (const auto& r : model.gateway_routes) {
      if (plan.find(r.context.value) != nullptr)
        plan.routes.emplace_back(r.prefix.value, r.context.value);
    }
  } else {
    plan.routes_derived = true;
    std::map<std::string, std::string> owner;
    for (const auto& c : model.contexts) {
      if (!has_service(c)) continue;
      each_http_path(c, [&](const std::string& path, bool) {
        const auto segment = first_segment(path);
        const auto [it, inserted] = owner.emplace(segment, c.name);
        if (!inserted && it->second != c.name) {
          throw PlanError("the model has no gateway routes and contexts '" + it->second +
                          "' and '" + c.name + "' both serve paths under " + segment +
                          "; add `gateway: routes:` to the model to say which gets what");
        }
      });
    }
    for (const auto& [prefix, context] : owner) plan.routes.emplace_back(prefix, context);
  }

  std::sort(public_paths.begin(), public_paths.end());
  public_paths.erase(std::unique(public_paths.begin(), public_paths.end()), public_paths.end());
  plan.public_paths = std::move(public_paths);
  return plan;
}

}  // namespace eskit::run
