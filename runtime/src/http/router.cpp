#include "eskit/runtime/http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace eskit::runtime::http {

namespace {

bool is_param(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

std::vector<std::string> parse_template(std::string_view tpl) {
  if (tpl.empty() || tpl.front() != '/')
    throw std::invalid_argument("route template must start with '/': " + std::string(tpl));
  std::vector<std::string> segments;
  std::vector<std::string_view> names;
  std::string_view rest = tpl.substr(1);
  // "/" alone has no segments; "/a/b" has two.
  while (!rest.empty()) {
    auto slash = rest.find('/');
    std::string_view segment = rest.substr(0, slash);
    bool braces = segment.find_first_of("{}") != std::string_view::npos;
    if (braces) {
      if (!is_param(segment) ||
          segment.substr(1, segment.size() - 2).find_first_of("{}/") != std::string_view::npos ||
          segment.size() == 2)
        throw std::invalid_argument("a parameter must be a whole segment '{name}': " +
                                    std::string(tpl));
      auto name = segment.substr(1, segment.size() - 2);
      if (std::find(names.begin(), names.end(), name) != names.end())
        throw std::invalid_argument("parameter {" + std::string(name) + "} repeats in " +
                                    std::string(tpl));
      names.push_back(name);
    }
    segments.emplace_back(segment);
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
    if (rest.empty()) segments.emplace_back();  // trailing slash: an empty last segment
  }
  return segments;
}

// Two patterns have the same shape when they match the same paths: same literals, parameters
// anywhere the other has a parameter.
bool same_shape(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (is_param(a[i]) != is_param(b[i])) return false;
    if (!is_param(a[i]) && a[i] != b[i]) return false;
  }
  return true;
}

bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments) {
  if (pattern.size() != segments.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i)
    if (is_param(pattern[i]) ? segments[i].empty() : pattern[i] != segments[i]) return false;
  return true;
}

// Lower is more specific: a literal earlier beats a parameter there.
bool more_specific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool pa = is_param(a[i]);
    bool pb = is_param(b[i]);
    if (pa != pb) return !pa;
  }
  return false;
}

}  // namespace

Router& Router::route(std::string method, std::string path_template, Handler handler, Body body) {
  if (method.empty()) throw std::invalid_argument("route method is empty");
  if (!handler) throw std::invalid_argument("route " + path_template + " has no handler");
  auto pattern = parse_template(path_template);
  for (const auto& r : routes_)
    if (r.method == method && same_shape(r.pattern, pattern))
      throw std::invalid_argument("route " + method + " " + path_template + " clashes with " +
                                  r.method + " " + r.path_template);
  routes_.push_back(Route{std::move(method), std::move(path_template), std::move(handler), body,
                          std::move(pattern)});
  return *this;
}

Router& Router::get(std::string t, Handler h) { return route("GET", std::move(t), std::move(h)); }
Router& Router::post(std::string t, Handler h, Body b) {
  return route("POST", std::move(t), std::move(h), b);
}
Router& Router::put(std::string t, Handler h, Body b) {
  return route("PUT", std::move(t), std::move(h), b);
}
Router& Router::patch(std::string t, Handler h, Body b) {
  return route("PATCH", std::move(t), std::move(h), b);
}
Router& Router::del(std::string t, Handler h) {
  return route("DELETE", std::move(t), std::move(h));
}

Router& Router::fallback(Handler handler, std::string label) {
  if (!handler) throw std::invalid_argument("the fallback route has no handler");
  fallback_ = Route{"*", std::move(label), std::move(handler), Body::any, {}};
  return *this;
}

bool Router::has(std::string_view method, std::string_view path_template) const {
  return std::any_of(routes_.begin(), routes_.end(), [&](const Route& r) {
    return r.method == method && r.path_template == path_template;
  });
}

RouteMatch Router::match(std::string_view method, const std::vector<std::string>& segments) const {
  RouteMatch result;
  for (const auto& r : routes_) {
    if (!matches(r.pattern, segments)) continue;
    if (r.method != method) {
      if (std::find(result.allowed.begin(), result.allowed.end(), r.method) == result.allowed.end())
        result.allowed.push_back(r.method);
      continue;
    }
    if (!result.route || more_specific(r.pattern, result.route->pattern)) result.route = &r;
  }
  if (result.route) {
    result.outcome = RouteMatch::Outcome::found;
    result.allowed.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const auto& p = result.route->pattern[i];
      if (is_param(p)) result.params.emplace_back(p.substr(1, p.size() - 2), segments[i]);
    }
  } else if (!result.allowed.empty()) {
    result.outcome = RouteMatch::Outcome::method_not_allowed;
    std::sort(result.allowed.begin(), result.allowed.end());
  } else if (fallback_) {
    result.outcome = RouteMatch::Outcome::found;
    result.route = &*fallback_;
  }
  return result;
}

}  // namespace eskit::runtime::http
