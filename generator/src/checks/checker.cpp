#include "checker.hpp"

#include "eskit/model/load.hpp"

namespace eskit::model::checks {

void Checker::run() {
  check_names();
  for (const auto& c : m_.contexts) {
    check_types(c);
    for (const auto& a : c.aggregates) check_aggregate(c, a);
  }
  // Aggregates first: commands and events rely on their resolved lifecycles.
  for (const auto& c : m_.contexts) {
    for (const auto& e : c.events) check_event(c, e);
    for (const auto& cmd : c.commands) check_command(c, cmd);
    for (const auto& p : c.policies) check_policy(c, p);
    for (const auto& call : c.calls) check_call(c, call);
    for (const auto& v : c.views) check_view(c, v);
    check_http_routes(c);
  }
  check_call_cycles();
  for (const auto& s : m_.sagas) check_saga(s);
  check_gateway();
}

namespace {

template <typename T>
std::vector<std::string> names_of(const std::vector<T>& items) {
  std::vector<std::string> out;
  for (const auto& x : items) out.push_back(x.name);
  return out;
}

}  // namespace

std::string Checker::what_is(const Context& in, const std::string& name) const {
  if (in.find_aggregate(name)) return "an aggregate";
  if (in.find_command(name)) return "a command";
  if (in.find_event(name)) return "an event";
  if (in.find_view(name)) return "a view";
  if (in.find_type(name)) return "a type";
  for (const auto& p : in.policies) {
    if (p.name == name) return "a policy";
  }
  for (const auto& c : in.calls) {
    if (c.name == name) return "a call";
  }
  return {};
}

const Context* Checker::context_named(const Text& name, std::string_view what) {
  if (const Context* c = m_.find_context(name.value)) return c;
  d_.error(
      name.where,
      std::string(what) + " names context '" + name.value + "', which the model does not declare",
      did_you_mean(name.value, names_of(m_.contexts)));
  return nullptr;
}

const Event* Checker::event_ref(const Context& from, const Ref& ref, std::string_view what,
                                const Context** owner) {
  if (ref.name.empty()) return nullptr;
  const Context* c = &from;
  if (!ref.context.empty() && !(c = context_named(Text{ref.context, ref.where}, what))) {
    return nullptr;
  }
  if (owner) *owner = c;
  if (const Event* e = c->find_event(ref.name)) return e;
  std::string kind = what_is(*c, ref.name);
  if (!kind.empty()) {
    std::string extra = kind == "an aggregate" && c != &from
                            ? "; a context never reads another context's aggregate, it "
                              "reacts to its events"
                            : "";
    d_.error(ref.where, std::string(what) + " must name an event, but '" + ref.spelling() +
                            "' is " + kind + extra);
    return nullptr;
  }
  std::string hint = did_you_mean(ref.name, names_of(c->events));
  if (hint.empty() && ref.context.empty()) {
    // The event may live in another context and need qualifying.
    for (const auto& other : m_.contexts) {
      if (other.find_event(ref.name)) {
        hint = "'" + ref.name + "' is an event of context '" + other.name + "': write '" +
               other.name + "." + ref.name + "'";
        break;
      }
    }
  }
  d_.error(ref.where,
           std::string(what) + " names event '" + ref.spelling() + "', which context '" + c->name +
               "' does not declare",
           hint);
  return nullptr;
}

const Command* Checker::command_ref(const Context* from, const Ref& ref, std::string_view what,
                                    const Context** owner) {
  if (ref.name.empty()) return nullptr;
  const Context* c = from;
  if (!ref.context.empty()) {
    if (!(c = context_named(Text{ref.context, ref.where}, what))) return nullptr;
  } else if (!c) {
    // At the top level (sagas) there is no current context.
    std::string hint;
    for (const auto& other : m_.contexts) {
      if (other.find_command(ref.name)) hint = "write '" + other.name + "." + ref.name + "'";
    }
    d_.error(ref.where,
             std::string(what) + " must name its context, as in 'context." + ref.name + "'", hint);
    return nullptr;
  }
  if (owner) *owner = c;
  if (const Command* cmd = c->find_command(ref.name)) return cmd;
  std::string kind = what_is(*c, ref.name);
  if (!kind.empty()) {
    d_.error(ref.where,
             std::string(what) + " must name a command, but '" + ref.spelling() + "' is " + kind);
    return nullptr;
  }
  d_.error(ref.where,
           std::string(what) + " names command '" + ref.spelling() + "', which context '" +
               c->name + "' does not declare",
           did_you_mean(ref.name, names_of(c->commands)));
  return nullptr;
}

const Aggregate* Checker::aggregate_named(const Context& c, const Text& name,
                                          std::string_view what) {
  if (name.value.empty()) return nullptr;
  if (auto dot = name.value.find('.'); dot != std::string::npos) {
    d_.error(name.where, std::string(what) + " names '" + name.value +
                             "' of another context; a context acts only on its own aggregates "
                             "and reaches others through events, policies or sync calls");
    return nullptr;
  }
  if (const Aggregate* a = c.find_aggregate(name.value)) return a;
  std::string kind = what_is(c, name.value);
  if (!kind.empty()) {
    d_.error(name.where,
             std::string(what) + " must name an aggregate, but '" + name.value + "' is " + kind);
    return nullptr;
  }
  std::string hint = did_you_mean(name.value, names_of(c.aggregates));
  for (const auto& other : m_.contexts) {
    if (&other != &c && other.find_aggregate(name.value) && hint.empty()) {
      hint = "'" + name.value + "' is an aggregate of context '" + other.name +
             "'; a context acts only on its own aggregates";
    }
  }
  d_.error(name.where,
           std::string(what) + " names aggregate '" + name.value + "', which context '" + c.name +
               "' does not declare",
           hint);
  return nullptr;
}

const Field* Checker::field_named(const std::vector<Field>& fields, const Text& name,
                                  std::string_view what) {
  if (name.value.empty()) return nullptr;
  for (const auto& f : fields) {
    if (f.name == name.value) return &f;
  }
  d_.error(name.where, std::string(what) + " has no field '" + name.value + "'",
           did_you_mean(name.value, names_of(fields)));
  return nullptr;
}

bool Checker::role_known(const Text& role) {
  for (const auto& r : m_.roles) {
    if (r.value == role.value) return true;
  }
  std::vector<std::string> roles;
  for (const auto& r : m_.roles) roles.push_back(r.value);
  d_.error(role.where, "role '" + role.value + "' is not declared in the model's 'roles'",
           did_you_mean(role.value, roles));
  return false;
}

std::vector<Symbol> Checker::symbols_of(const Context& c, const std::vector<Field>& fields) {
  std::vector<Symbol> out;
  for (const auto& f : fields) out.push_back(Symbol{f.name, f.type, &c});
  return out;
}

std::vector<Symbol> Checker::aggregate_symbols(const Context& c, const Aggregate& a) const {
  std::vector<Symbol> out = symbols_of(c, a.fields);
  if (auto it = status_types_.find(&a); it != status_types_.end()) {
    out.push_back(Symbol{"status", it->second, &c});
  }
  return out;
}

std::vector<Symbol> Checker::config_symbols(const Context& c) const {
  std::vector<Symbol> out;
  for (const auto& v : c.config) out.push_back(Symbol{v.name, v.type, &c});
  return out;
}

}  // namespace eskit::model::checks

namespace eskit::model {

void check_model(const Model& model, Diagnostics& diagnostics) {
  checks::Checker(model, diagnostics).run();
}

}  // namespace eskit::model
