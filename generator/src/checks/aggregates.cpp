// Aggregates (identity, fields, lifecycle) and the events they publish.
#include <algorithm>
#include <set>

#include "checker.hpp"

namespace eskit::model::checks {

void Checker::check_aggregate(const Context& c, const Aggregate& a) {
  check_field_types(c, a.fields);
  if (!a.id.value.empty()) {
    const Field* id = field_named(a.fields, a.id, "aggregate '" + a.name + "'");
    // An unknown type was reported where it is written; judging it again would repeat that.
    bool resolved =
        id && id->type && (id->type->kind != Type::Kind::named || c.find_type(id->type->name));
    if (resolved) {
      const Type& t = *id->type;
      bool ok = t.kind == Type::Kind::primitive &&
                (t.primitive == Primitive::int64 || t.primitive == Primitive::int32 ||
                 t.primitive == Primitive::string || t.primitive == Primitive::uuid);
      if (!ok) {
        d_.error(id->type_where, "the identity field '" + id->name +
                                     "' must be long, int, "
                                     "string or uuid, not " +
                                     t.spelling());
      } else if (t.optional || !id->required) {
        d_.error(id->where, "the identity field '" + id->name + "' cannot be optional");
      }
    }
    if (id && id->secret) {
      d_.error(id->where, "the identity field '" + id->name +
                              "' cannot be secret: clients address the " + a.name + " by it");
    }
  }
  if (!a.lifecycle) return;
  const Lifecycle& l = *a.lifecycle;
  if (a.find_field("status")) {
    d_.error(a.find_field("status")->where,
             "aggregate '" + a.name +
                 "' has a lifecycle, which adds the field 'status'; remove "
                 "this field or the lifecycle");
  }
  std::vector<std::string> states;
  for (const auto& s : l.states) states.push_back(s.value);
  std::set<std::string> declared;
  for (const auto& s : l.states) {
    if (!declared.insert(s.value).second && l.states_declared) {
      d_.error(s.where, "state '" + s.value + "' is listed twice");
    }
  }
  bool all_states_known = true;
  auto known_state = [&](const Text& s) {
    if (s.value.empty() || declared.count(s.value)) return;
    all_states_known = false;
    d_.error(s.where, "state '" + s.value + "' is not one of the lifecycle's states",
             did_you_mean(s.value, states));
  };
  known_state(l.initial);
  std::set<std::string> reachable = {l.initial.value};
  for (const auto& t : l.transitions) {
    for (const auto& f : t.from) known_state(f);
    known_state(t.to);
    reachable.insert(t.to.value);
    if (t.by.value.empty()) continue;
    const Command* cmd = c.find_command(t.by.value);
    if (!cmd) {
      std::vector<std::string> names;
      for (const auto& x : c.commands) names.push_back(x.name);
      d_.error(t.by.where,
               "transition by '" + t.by.value + "': context '" + c.name + "' has no such command",
               did_you_mean(t.by.value, names));
      continue;
    }
    if (cmd->aggregate.value != a.name) {
      d_.error(t.by.where, "command '" + cmd->name + "' acts on '" + cmd->aggregate.value +
                               "', so it cannot move '" + a.name + "' between states");
    } else if (cmd->kind == CommandKind::create || cmd->kind == CommandKind::query) {
      d_.error(t.by.where, "a transition is made by a change or delete command; '" + cmd->name +
                               "' is a " + spelling(cmd->kind) + " command" +
                               (cmd->kind == CommandKind::create
                                    ? " (a create command puts the aggregate in the initial state)"
                                    : ""));
    }
  }
  // After a misspelt state, "never reached" would only repeat the misspelling.
  if (l.states_declared && all_states_known) {
    for (const auto& s : l.states) {
      if (!reachable.count(s.value)) {
        d_.warning(s.where, "state '" + s.value + "' is never reached: no transition leads to it");
      }
    }
  }
  Type status;
  status.kind = Type::Kind::inline_enum;
  status.enum_values = states;
  status_types_[&a] = std::make_shared<const Type>(std::move(status));
}

void Checker::check_event(const Context& c, const Event& e) {
  check_field_types(c, e.fields);
  aggregate_named(c, e.aggregate, "event '" + e.name + "'");
  std::vector<const Field*> keys;
  for (const auto& f : e.fields) {
    if (f.correlation) keys.push_back(&f);
  }
  if (keys.empty()) {
    d_.error(e.where, "event '" + e.name +
                          "' has no correlation key: mark the field that ties "
                          "it to its flow with 'correlation: true'");
  }
  for (std::size_t i = 1; i < keys.size(); ++i) {
    d_.error(keys[i]->where, "event '" + e.name + "' marks a second correlation key '" +
                                 keys[i]->name + "'; it already has '" + keys[0]->name + "'");
  }
  for (const auto* k : keys) {
    if (!k->required) {
      d_.error(k->where, "the correlation key '" + k->name + "' cannot be optional");
    }
  }
  bool emitted = std::any_of(c.commands.begin(), c.commands.end(), [&](const Command& cmd) {
    return std::any_of(cmd.emits.begin(), cmd.emits.end(),
                       [&](const Text& t) { return t.value == e.name; });
  });
  if (!emitted) {
    d_.warning(e.where,
               "event '" + e.name + "' is never emitted by a command of context '" + c.name + "'");
  }
}

}  // namespace eskit::model::checks
