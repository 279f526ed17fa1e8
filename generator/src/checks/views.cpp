// Read models (CQRS views) and how everything is reached over HTTP: routes and the gateway.
#include <algorithm>
#include <map>

#include "checker.hpp"

namespace eskit::model::checks {

using K = ValueKind::Kind;

void Checker::check_view(const Context& c, const View& v) {
  std::string what = "view '" + v.name + "'";
  check_field_types(c, v.fields);
  const Field* key = field_named(v.fields, v.key, what);
  if (key && !key->required) {
    d_.error(key->where, "the key '" + key->name + "' of " + what + " cannot be optional");
  }
  if (v.projections.empty()) {
    d_.error(v.where, what + " has no projections, so nothing ever fills it");
  }
  auto view_field = [&](const Text& name) -> const Field* {
    return field_named(v.fields, name, what);
  };
  for (const auto& p : v.projections) {
    const Context* source = nullptr;
    const Event* e = event_ref(c, p.on, what, &source);
    std::string rule = "the projection of '" + p.on.spelling() + "'";
    bool keyed = p.op != ProjectionOp::create;
    if (keyed && p.match.empty()) {
      d_.error(p.op_where, rule + " must say which row to " + spelling(p.op) + ": add 'where: { " +
                               v.key.value + ": <field of the event> }'");
    }
    if (key && (p.op == ProjectionOp::create || p.op == ProjectionOp::upsert)) {
      bool sets_key =
          std::any_of(p.set.begin(), p.set.end(),
                      [&](const Assignment& s) { return s.target.value == v.key.value; }) ||
          std::any_of(p.match.begin(), p.match.end(),
                      [&](const Assignment& s) { return s.target.value == v.key.value; });
      if (!sets_key) {
        d_.error(p.op_where, rule + " creates rows but never sets the key '" + v.key.value + "'");
      }
    }
    if (p.op == ProjectionOp::remove &&
        (!p.set.empty() || !p.increment.empty() || !p.decrement.empty() || !p.append.empty())) {
      d_.error(p.op_where, rule + " deletes the row, so it cannot also change fields");
    }
    if (p.condition && p.op != ProjectionOp::update && p.op != ProjectionOp::upsert) {
      d_.error(p.condition->where, rule + " has an 'if', which weighs the stored row; a " +
                                       spelling(p.op) + " has no row to weigh, so only " +
                                       "'update' and 'upsert' take one");
    }
    if (!e || !source) continue;
    Scope scope;
    scope.groups.push_back({"event", true, symbols_of(*source, e->fields)});
    scope.groups.push_back({"config", false, config_symbols(c)});
    scope.description = "the fields of event '" + e->name + "'";
    if (p.condition && (p.op == ProjectionOp::update || p.op == ProjectionOp::upsert)) {
      Scope weighed = scope;
      weighed.groups.push_back({"this", false, symbols_of(c, v.fields)});
      weighed.description += " and the row (this.)";
      ValueKind boolean;
      boolean.kind = K::boolean;
      expect(weighed, c, *p.condition, boolean, "'if'");
    }
    for (const auto& m : p.match) {
      const Field* f = view_field(m.target);
      if (!f || !m.value.tree) continue;
      if (m.value.tree->kind != Expr::Kind::path || m.value.tree->path.size() != 1) {
        d_.error(m.value.where, rule +
                                    ": 'where' joins a view field to one event field, such as '" +
                                    f->name + ": " + f->name + "'");
        continue;
      }
      expect(scope, c, m.value, kind_of(c, f->type), "view field '" + f->name + "'");
    }
    for (const auto& s : p.set) {
      if (const Field* f = view_field(s.target)) {
        expect(scope, c, s.value, kind_of(c, f->type), "view field '" + f->name + "'");
      }
    }
    for (const auto* counters : {&p.increment, &p.decrement}) {
      for (const auto& t : *counters) {
        const Field* f = view_field(t);
        if (f && !kind_of(c, f->type).numeric()) {
          d_.error(t.where, rule + " counts in '" + f->name + "', which is " +
                                kind_of(c, f->type).describe() + ", not a number");
        }
      }
    }
    for (const auto& a : p.append) {
      const Field* f = view_field(a.target);
      if (!f) continue;
      ValueKind list = kind_of(c, f->type);
      if (list.kind != K::list) {
        d_.error(a.target.where, rule + " appends to '" + f->name + "', which is " +
                                     list.describe() + ", not a list");
        continue;
      }
      expect(scope, c, a.value, list.element ? *list.element : ValueKind{},
             "an item of '" + f->name + "'");
    }
  }
  if (v.queries.empty()) {
    d_.warning(v.where, what + " has no queries, so nothing can read it");
  }
  for (const auto& q : v.queries) {
    for (const auto& r : q.roles) role_known(r);
    for (const auto& f : q.filter) field_named(v.fields, f, what);
    if (!q.http) continue;
    if (q.http->method != "GET") {
      d_.error(q.http->where, "query '" + q.name + "' must be bound to GET, not " + q.http->method);
    }
    for (const auto& p : q.http->parameters) {
      field_named(v.fields, p, what);
    }
  }
}

void Checker::check_http_routes(const Context& c) {
  // Two endpoints with the same method and path shape would be ambiguous for the router.
  auto shape = [](const HttpBinding& h) {
    std::string out = h.method + " ";
    bool in_param = false;
    for (char ch : h.path) {
      if (ch == '{') {
        in_param = true;
        out += "{}";
      } else if (ch == '}') {
        in_param = false;
      } else if (!in_param) {
        out += ch;
      }
    }
    return out;
  };
  std::map<std::string, std::pair<std::string, Location>> seen;
  auto claim = [&](const HttpBinding& h, const std::string& owner) {
    auto [it, inserted] = seen.emplace(shape(h), std::make_pair(owner, h.where));
    if (!inserted) {
      d_.error(h.where, "'" + h.method + " " + h.path + "' of " + owner + " is already bound to " +
                            it->second.first + " at line " +
                            std::to_string(it->second.second.line));
    }
  };
  for (const auto& cmd : c.commands) {
    if (cmd.http) claim(*cmd.http, "command '" + cmd.name + "'");
  }
  for (const auto& v : c.views) {
    for (const auto& q : v.queries) {
      if (q.http) claim(*q.http, "query '" + q.name + "'");
    }
  }
}

void Checker::check_gateway() {
  if (m_.gateway_routes.empty()) return;
  std::map<std::string, Location> prefixes;
  for (const auto& r : m_.gateway_routes) {
    if (r.prefix.value.empty() || r.prefix.value[0] != '/') {
      d_.error(r.prefix.where, "gateway route '" + r.prefix.value + "' must start with '/'");
    }
    if (!prefixes.emplace(r.prefix.value, r.prefix.where).second) {
      d_.error(r.prefix.where, "gateway route '" + r.prefix.value + "' is listed twice");
    }
    context_named(r.context, "gateway route '" + r.prefix.value + "'");
  }
  // Every public endpoint is reached through the gateway, and through its own context.
  auto routed = [&](const std::string& path) -> const GatewayRoute* {
    const GatewayRoute* best = nullptr;
    for (const auto& r : m_.gateway_routes) {
      const std::string& p = r.prefix.value;
      bool match = path.compare(0, p.size(), p) == 0 &&
                   (path.size() == p.size() || path[p.size()] == '/' || p.back() == '/');
      if (match && (!best || p.size() > best->prefix.value.size())) best = &r;
    }
    return best;
  };
  for (const auto& c : m_.contexts) {
    auto check = [&](const HttpBinding& h, const std::string& owner) {
      const GatewayRoute* r = routed(h.path);
      if (!r) {
        // A warning: an endpoint only other services call need not be public.
        d_.warning(h.where, owner + " is bound to '" + h.path + "', which no gateway route covers",
                   "add a route such as '/" + h.path.substr(1, h.path.find('/', 1) - 1) + ": " +
                       c.name + "'");
      } else if (r->context.value != c.name && m_.find_context(r->context.value)) {
        d_.error(h.where, owner + " of context '" + c.name + "' is bound to '" + h.path +
                              "', but the gateway sends '" + r->prefix.value + "' to '" +
                              r->context.value + "'");
      }
    };
    for (const auto& cmd : c.commands) {
      if (cmd.http) check(*cmd.http, "command '" + cmd.name + "'");
    }
    for (const auto& v : c.views) {
      for (const auto& q : v.queries) {
        if (q.http) check(*q.http, "query '" + q.name + "'");
      }
    }
  }
}

}  // namespace eskit::model::checks
