// Commands: what they act on, how they are reached, what they require, what they emit, and
// their given / when / then examples.
#include <algorithm>
#include <set>

#include "checker.hpp"

namespace eskit::model::checks {

using K = ValueKind::Kind;

Scope Checker::command_scope(const Context& c, const Command& cmd) const {
  Scope s;
  s.groups.push_back({"input", true, symbols_of(c, cmd.input)});
  const Aggregate* a = c.find_aggregate(cmd.aggregate.value);
  // A create command has no aggregate to read yet.
  if (a && cmd.kind != CommandKind::create) {
    s.groups.push_back({"this", true, aggregate_symbols(c, *a)});
    s.description = "the input of '" + cmd.name + "' or the aggregate '" + a->name + "'";
  } else {
    s.description = "the input of '" + cmd.name + "'";
  }
  s.groups.push_back({"config", false, config_symbols(c)});
  return s;
}

void Checker::check_command(const Context& c, const Command& cmd) {
  std::string what = "command '" + cmd.name + "'";
  check_field_types(c, cmd.input);
  const Aggregate* a = aggregate_named(c, cmd.aggregate, what);
  bool has_actor = false;
  if (cmd.actor) {
    for (const auto* list : {&m_.actors, &m_.externals}) {
      for (const auto& p : *list) has_actor |= p.name == cmd.actor->value;
    }
    if (!has_actor) {
      std::vector<std::string> names;
      for (const auto* list : {&m_.actors, &m_.externals}) {
        for (const auto& p : *list) names.push_back(p.name);
      }
      d_.error(cmd.actor->where,
               "actor '" + cmd.actor->value +
                   "' is not declared in the "
                   "model's 'actors' or 'externals'",
               did_you_mean(cmd.actor->value, names));
    }
  }
  for (const auto& r : cmd.roles) role_known(r);

  // Path parameters come from the input.
  if (cmd.http) {
    for (const auto& p : cmd.http->parameters) {
      if (!cmd.find_input(p.value)) {
        std::vector<std::string> names;
        for (const auto& f : cmd.input) names.push_back(f.name);
        d_.error(p.where, "path parameter '{" + p.value + "}' is not an input field of " + what,
                 did_you_mean(p.value, names));
      }
    }
    if (cmd.kind == CommandKind::query && cmd.http->method != "GET") {
      d_.warning(cmd.http->where, "query '" + cmd.name + "' is bound to " + cmd.http->method +
                                      "; queries are usually GET");
    }
  }

  // Emitted events: at least one unless a query; own context; about this aggregate.
  if (cmd.kind == CommandKind::query) {
    if (!cmd.emits.empty()) {
      d_.error(cmd.emits.front().where, "query '" + cmd.name +
                                            "' emits events; a query changes "
                                            "nothing, so make it a change command or drop 'emits'");
    }
  } else if (cmd.emits.empty()) {
    d_.error(cmd.where, what +
                            " emits no event; every command records what happened in an event "
                            "(or is marked 'kind: query')");
  }
  std::set<std::string> emitted;
  for (const auto& ev : cmd.emits) {
    if (!emitted.insert(ev.value).second) {
      d_.error(ev.where, what + " lists event '" + ev.value + "' twice");
      continue;
    }
    if (ev.value.find('.') != std::string::npos) {
      d_.error(ev.where, what + " emits '" + ev.value +
                             "' of another context; a context emits "
                             "only its own events");
      continue;
    }
    const Event* e = event_ref(c, Ref{"", ev.value, ev.where}, what);
    if (!e || !a) continue;
    if (!c.find_aggregate(e->aggregate.value)) continue;  // reported at the event
    if (e->aggregate.value != a->name) {
      d_.error(ev.where, what + " acts on '" + a->name + "' but emits '" + e->name +
                             "', which is about '" + e->aggregate.value + "'");
      continue;
    }
    // Every event field gets its value from the aggregate after the change, or the input.
    for (const auto& f : e->fields) {
      std::vector<Symbol> sources = aggregate_symbols(c, *a);
      for (const auto& s : symbols_of(c, cmd.input)) sources.push_back(s);
      auto it = std::find_if(sources.begin(), sources.end(),
                             [&](const Symbol& s) { return s.name == f.name; });
      if (it == sources.end()) {
        if (f.required) {
          d_.error(ev.where,
                   "event '" + e->name + "' needs field '" + f.name + "', but " + what +
                       " has no value for it",
                   "add '" + f.name + "' to the aggregate '" + a->name +
                       "' or to the input, "
                       "or make the event field optional");
        }
        continue;
      }
      ValueKind want = kind_of(c, f.type);
      ValueKind have = kind_of(c, it->type);
      if (!assignable(want, have)) {
        d_.error(ev.where, "event '" + e->name + "' field '" + f.name + "' is " + want.describe() +
                               ", but " + what + " provides " + have.describe());
      }
    }
  }
  if (!a) return;

  // How the aggregate is found.
  const Field* id = a->find_field(a->id.value);
  if (cmd.find_by) {
    const Field* key = field_named(a->fields, *cmd.find_by, "aggregate '" + a->name + "'");
    if (key && !key->unique && key != id) {
      d_.error(cmd.find_by->where, "find_by '" + key->name + "' must be a unique field of '" +
                                       a->name + "' (mark it 'unique: true')");
    }
    if (key && !cmd.find_input(key->name)) {
      d_.error(cmd.find_by->where, what + " finds '" + a->name + "' by '" + key->name +
                                       "' but has no input field '" + key->name + "'");
    }
    if (cmd.kind == CommandKind::create) {
      d_.error(cmd.find_by->where, "a create command makes a new aggregate; it finds none");
    }
  } else if (cmd.kind != CommandKind::create && id && !cmd.find_input(id->name)) {
    d_.error(cmd.where,
             what + " " + (cmd.kind == CommandKind::query ? "reads" : "changes") +
                 " an existing '" + a->name + "' but has no input '" + id->name + "' to find it by",
             "add '" + id->name + "' to the input (or the http path as '{" + id->name +
                 "}'), or use 'find_by' with a unique field");
  } else if (cmd.kind == CommandKind::create && id && id->type &&
             id->type->kind == Type::Kind::primitive && id->type->primitive == Primitive::string &&
             !cmd.find_input(id->name)) {
    d_.error(cmd.where, what + " creates '" + a->name + "', whose string id '" + id->name +
                            "' eskit cannot generate: add it to the input or make it long or uuid");
  }

  // Input copied into the aggregate by name must fit.
  for (const auto& in : cmd.input) {
    const Field* f = a->find_field(in.name);
    if (!f || cmd.kind == CommandKind::query) continue;
    if (!assignable(kind_of(c, f->type), kind_of(c, in.type))) {
      d_.error(in.type_where, "input '" + in.name + "' is " + kind_of(c, in.type).describe() +
                                  " but the aggregate's field '" + in.name + "' is " +
                                  kind_of(c, f->type).describe());
    }
  }

  Scope scope = command_scope(c, cmd);
  ValueKind boolean;
  boolean.kind = K::boolean;
  for (const auto& p : cmd.preconditions) expect(scope, c, p.check, boolean, "a precondition");
  std::vector<Symbol> targets = aggregate_symbols(c, *a);
  for (const auto& s : cmd.set) {
    auto it = std::find_if(targets.begin(), targets.end(),
                           [&](const Symbol& t) { return t.name == s.target.value; });
    if (it == targets.end()) {
      std::vector<std::string> names;
      for (const auto& t : targets) names.push_back(t.name);
      d_.error(s.target.where,
               "'set' names '" + s.target.value + "', which is not a field of '" + a->name + "'",
               did_you_mean(s.target.value, names));
      continue;
    }
    if (s.target.value == "status" && a->lifecycle) {
      d_.error(s.target.where, "'status' follows the lifecycle of '" + a->name +
                                   "'; change it with a transition, not with 'set'");
      continue;
    }
    if (cmd.kind == CommandKind::query) {
      d_.error(s.target.where, "query '" + cmd.name + "' cannot set fields");
      continue;
    }
    expect(scope, c, s.value, kind_of(c, it->type), "field '" + s.target.value + "'");
  }

  if (cmd.issues_token) {
    // A claim is one piece of text: a required id, name, number or enum value.
    auto claimable = [&](const Field* f, const Text& key, const char* claim) {
      if (!f || !f->type) return;
      const Type& t = *f->type;
      const bool scalar =
          !t.optional &&
          (t.kind == Type::Kind::inline_enum ||
           (t.kind == Type::Kind::named && c.find_type(t.name) && c.find_type(t.name)->is_enum) ||
           (t.kind == Type::Kind::primitive &&
            (t.primitive == Primitive::string || t.primitive == Primitive::uuid ||
             t.primitive == Primitive::int32 || t.primitive == Primitive::int64)));
      if (!scalar || !f->required) {
        d_.error(key.where, "the token's " + std::string(claim) + " '" + key.value +
                                "' must be a required text, uuid, integer or enum field, not '" +
                                t.spelling() + "'");
      }
    };
    claimable(field_named(a->fields, cmd.issues_token->subject, "aggregate '" + a->name + "'"),
              cmd.issues_token->subject, "subject");
    std::vector<Field> with_status = a->fields;
    if (a->lifecycle) {
      Field status;
      status.name = "status";
      with_status.push_back(std::move(status));
    }
    claimable(field_named(with_status, cmd.issues_token->role, "aggregate '" + a->name + "'"),
              cmd.issues_token->role, "role");
    if (!cmd.http) {
      d_.error(cmd.issues_token->where, what +
                                            " issues a token, so it needs an 'http' binding "
                                            "for clients to log in with");
    }
    // The lifetime names a setting, not a literal, so each deployment can choose it; the
    // model has no duration type, so the setting counts whole seconds.
    if (const auto& lifetime = cmd.issues_token->lifetime) {
      const ConfigValue* setting = c.find_config(lifetime->value);
      if (!setting) {
        std::vector<std::string> names;
        for (const auto& v : c.config) names.push_back(v.name);
        std::string hint = did_you_mean(lifetime->value, names);
        if (hint.empty()) {
          hint = "declare it in the context's 'config', e.g. '" + lifetime->value +
                 ": { type: int, default: 3600 }'";
        }
        d_.error(lifetime->where,
                 "the token's lifetime '" + lifetime->value +
                     "' is not a config value of context '" + c.name + "'",
                 hint);
      } else if (setting->type) {
        const Type& t = *setting->type;
        const bool seconds = !t.optional && t.kind == Type::Kind::primitive &&
                             (t.primitive == Primitive::int32 || t.primitive == Primitive::int64);
        if (!seconds) {
          d_.error(lifetime->where,
                   "the token's lifetime '" + lifetime->value +
                       "' must be a config value of type int or long (seconds), not '" +
                       t.spelling() + "'");
        }
      }
    }
  }

  for (const auto& x : cmd.examples) check_example(c, cmd, x);
}

void Checker::check_example(const Context& c, const Command& cmd, const Example& x) {
  std::string what = "example '" + x.name.value + "'";
  const Aggregate* a = c.find_aggregate(cmd.aggregate.value);
  auto check_fields = [&](const std::vector<std::pair<Text, Value>>& values,
                          const std::vector<Field>& fields, const std::string& owner) {
    for (const auto& [key, value] : values) {
      const Field* f = field_named(fields, key, owner);
      if (f) check_value(c, value, kind_of(c, f->type), "'" + key.value + "'");
    }
  };
  for (const auto& g : x.given) {
    if (!g.event.context.empty()) {
      d_.error(g.event.where, what +
                                  ": 'given' lists the aggregate's own history, so its events "
                                  "are events of context '" +
                                  c.name + "'");
      continue;
    }
    const Event* e = event_ref(c, g.event, what);
    if (!e) continue;
    if (a && e->aggregate.value != a->name) {
      d_.error(g.event.where, what + ": event '" + e->name + "' is about '" + e->aggregate.value +
                                  "', not '" + a->name + "'");
    }
    check_fields(g.fields, e->fields, "event '" + e->name + "'");
  }
  check_fields(x.when, cmd.input, "command '" + cmd.name + "'");
  for (const auto& in : cmd.input) {
    if (!in.required || in.default_value) continue;
    bool given = std::any_of(x.when.begin(), x.when.end(),
                             [&](const auto& kv) { return kv.first.value == in.name; });
    if (!given) {
      d_.error(x.name.where, what + " of '" + cmd.name + "' leaves the required input '" + in.name +
                                 "' unset in 'when'");
    }
  }
  for (const auto& t : x.then) {
    bool listed = std::any_of(cmd.emits.begin(), cmd.emits.end(),
                              [&](const Text& ev) { return ev.value == t.event.name; });
    if (!t.event.context.empty() || !listed) {
      std::vector<std::string> names;
      for (const auto& ev : cmd.emits) names.push_back(ev.value);
      d_.error(
          t.event.where,
          what + " expects '" + t.event.spelling() + "', which '" + cmd.name + "' does not emit",
          did_you_mean(t.event.name, names));
      continue;
    }
    if (const Event* e = c.find_event(t.event.name)) {
      check_fields(t.fields, e->fields, "event '" + e->name + "'");
    }
  }
  if (x.rejects && cmd.preconditions.empty() && !(a && a->lifecycle)) {
    d_.warning(x.rejects->where, what + " expects '" + cmd.name +
                                     "' to be rejected, but it has "
                                     "no preconditions or lifecycle; only a business rule "
                                     "in its user file can reject it");
  }
}

}  // namespace eskit::model::checks
