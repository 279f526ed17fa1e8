#include "behaviour.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "conversion.hpp"
#include "eskit/template/case.hpp"
#include "expression_cpp.hpp"
#include "view_access.hpp"

namespace eskit::generate {

namespace {

using tmpl::Case;
using tmpl::List;
using tmpl::Object;
using tmpl::to_case;
using tmpl::Value;

std::map<std::string, Object> views_by_name(const List& views) {
  std::map<std::string, Object> out;
  for (const Value& v : views) out.emplace(text(v.as_object(), "name"), v.as_object());
  return out;
}

/// The C++ enum of a field (its own type, or its list's element), or "".
std::string enum_cpp_of(const Object& field) {
  std::string cpp = text(field, "value_cpp");
  const std::string list = "std::vector<";
  if (field.find("is_enum")->as_bool()) return cpp;
  if (!field.find("leaf_enum")->as_bool()) return "";
  return cpp.starts_with(list) ? cpp.substr(list.size(), cpp.size() - list.size() - 1) : cpp;
}

model::TypePtr status_type(const model::Aggregate& a) {
  auto t = std::make_shared<model::Type>();
  t->kind = model::Type::Kind::inline_enum;
  for (const auto& s : a.lifecycle->states) t->enum_values.push_back(s.value);
  return t;
}

class BehaviourBuilder {
 public:
  BehaviourBuilder(const model::Model& model, const model::Context& context, const List& aggregates,
                   const List& events)
      : context_(context), aggregates_(views_by_name(aggregates)), events_(views_by_name(events)) {
    // The commands events trigger here, with the aggregate field that finds their target.
    for (const auto& p : context.policies)
      reactions_.emplace_back(p.then.value,
                              p.correlate.empty() ? "" : p.correlate.front().target.value);
    for (const auto& saga : model.sagas) {
      if (saga.style != model::SagaStyle::choreography) continue;
      for (const auto& step : saga.steps)
        if (step.compensation && step.compensation->context == context.name)
          reactions_.emplace_back(step.compensation->name, saga.correlation.value);
    }
    for (const auto& c : context.config) {
      config_.push_back(
          ExprSymbol{c.name, c.type, false, "settings." + to_case(c.name, Case::snake), ""});
    }
  }

  Object command(const model::Command& c, const Object& view) {
    const model::Aggregate& a = *context_.find_aggregate(c.aggregate.value);
    aggregate_ = a.name;
    const Object& aggregate_view = aggregates_.at(a.name);
    const auto state_fields = fields_by_name(aggregate_view);
    const auto input_fields = fields_by_name(view);
    const bool creates = c.kind == model::CommandKind::create;
    const bool changes = creates || c.kind == model::CommandKind::change;

    const ExprScope scope = command_scope(c, a, state_fields, input_fields);
    uses_settings_ = false;

    Object out;
    out.set("lifecycle", lifecycle(c, a, aggregate_view));

    List guards;
    for (const auto& p : c.preconditions) {
      guards.push_back(Object{
          {"condition", translate(p.check, scope, {})},
          {"message", p.message.empty() ? "precondition failed: " + p.check.source : p.message}});
    }
    out.set("guards", std::move(guards));

    List assignments;
    if (changes) {
      std::set<std::string> set_targets;
      for (const auto& s : c.set) set_targets.insert(s.target.value);
      for (const auto& f : c.input) {
        auto target = state_fields.find(f.name);
        if (target == state_fields.end() || set_targets.count(f.name)) continue;
        // The id (or find_by key) found the aggregate; it is equal already.
        if (!creates && (f.name == a.id.value || (c.find_by && c.find_by->value == f.name)))
          continue;
        assignments.push_back(assignment(
            target->second, convert_field("command." + text(input_fields.at(f.name), "snake"),
                                          input_fields.at(f.name), target->second)));
      }
      for (const auto& s : c.set) {
        const Object& target = state_fields.at(s.target.value);
        const model::Field* field = a.find_field(s.target.value);
        const model::TypePtr type = field ? field->type : status_type(a);
        assignments.push_back(assignment(target, translate(s.value, scope, enum_cpp_of(target))));
      }
    }
    out.set("assignments", std::move(assignments));

    List emitted;
    for (const auto& e : c.emits)
      emitted.push_back(event_fill(events_.at(e.value), state_fields, input_fields));
    out.set("events", std::move(emitted));

    // A create command takes the id from its input when it has one; otherwise the repository
    // assigns the next one (numbers) or a random UUID (text).
    const Object& id = aggregate_view.find("id")->as_object();
    const auto id_input = input_fields.find(a.id.value);
    out.set("id_from_input",
            creates && id_input != input_fields.end()
                ? convert_field("command." + text(id_input->second, "snake"), id_input->second, id)
                : "");
    out.set("uses_settings", uses_settings_);
    return out;
  }

  /// How the command's aggregate is found or numbered: `id` (the aggregate's id field),
  /// `find_by` (the unique field used instead, or null) and `numbered` (the repository assigns
  /// ids of a new one).
  Object key(const model::Command& c) const {
    const Object& aggregate_view = aggregates_.at(c.aggregate.value);
    const Object& id = aggregate_view.find("id")->as_object();
    const std::string& id_cpp = text(id, "value_cpp");
    return Object{{"id", id},
                  {"find_by", c.find_by ? Value(fields_by_name(aggregate_view).at(c.find_by->value))
                                        : Value()},
                  {"numbered", id_cpp == "std::int64_t" || id_cpp == "std::int32_t"}};
  }

  /// How each event of `a` changes it: the fields it carries under the aggregate's names, and
  /// the state the lifecycle reaches through the commands that emit it.
  Object aggregate(const model::Aggregate& a, const Object& view) {
    const auto state_fields = fields_by_name(view);
    List applies;
    std::vector<const model::Event*> events;
    for (const auto& e : context_.events)
      if (e.aggregate.value == a.name) events.push_back(&e);
    std::sort(events.begin(), events.end(),
              [](const auto* x, const auto* y) { return x->name < y->name; });
    List event_names;
    for (const model::Event* e : events) {
      const Object& event_view = events_.at(e->name);
      const auto event_fields = fields_by_name(event_view);
      List assignments;
      for (const auto& f : e->fields) {
        auto target = state_fields.find(f.name);
        if (target == state_fields.end()) continue;
        const Object& source = event_fields.at(f.name);
        assignments.push_back(
            assignment(target->second,
                       convert_field("event." + text(source, "snake"), source, target->second)));
      }
      Object apply{{"event", event_view}, {"assignments", std::move(assignments)}};
      apply.set("status", status_after_event(a, *e, view));
      applies.push_back(std::move(apply));
      event_names.push_back(text(event_view, "pascal"));
    }
    Object out{{"applies", std::move(applies)}, {"events", std::move(event_names)}};
    List system_includes;
    List project_includes;
    for (const auto& header : includes_[a.name])
      (header.front() == '<' ? system_includes : project_includes).push_back(header);
    out.set("system_includes", std::move(system_includes));
    out.set("project_includes", std::move(project_includes));
    out.set("columns",
            table_columns(view, text(view.find("id")->as_object(), "name"), false, "state"));
    // The unique fields commands find the aggregate by, each a lookup of the repository.
    std::set<std::string> keys;
    for (const auto& c : context_.commands)
      if (c.aggregate.value == a.name && c.find_by) keys.insert(c.find_by->value);
    // ... and that reactions (policies, saga compensations) correlate events with.
    for (const auto& [command, field] : reactions_) {
      const model::Command* c = context_.find_command(command);
      if (c && c->aggregate.value == a.name && !field.empty() && field != a.id.value)
        keys.insert(field);
    }
    List lookups;
    for (const auto& k : keys) lookups.push_back(state_fields.at(k));
    out.set("lookups", std::move(lookups));
    const std::string& id_cpp = text(view.find("id")->as_object(), "value_cpp");
    out.set("numbered", id_cpp == "std::int64_t" || id_cpp == "std::int32_t");
    // Whether an endpoint records its events (commands without a route come with policies).
    const bool by_endpoint =
        std::any_of(context_.commands.begin(), context_.commands.end(), [&](const auto& c) {
          return c.aggregate.value == a.name && c.http && c.kind != model::CommandKind::query;
        });
    const bool by_policy = std::any_of(reactions_.begin(), reactions_.end(), [&](const auto& r) {
      const model::Command* c = context_.find_command(r.first);
      return c && c->aggregate.value == a.name;
    });
    out.set("recorded", by_endpoint || by_policy);
    return out;
  }

 private:
  ExprScope command_scope(const model::Command& c, const model::Aggregate& a,
                          const std::map<std::string, Object>& state_fields,
                          const std::map<std::string, Object>& input_fields) const {
    ExprScope scope;
    ExprScope::Group input{"input", true, {}};
    for (const auto& f : c.input)
      input.symbols.push_back(symbol(f, input_fields.at(f.name), "command."));
    scope.groups.push_back(std::move(input));
    if (c.kind != model::CommandKind::create) {
      ExprScope::Group state{"this", true, {}};
      for (const auto& f : a.fields)
        state.symbols.push_back(symbol(f, state_fields.at(f.name), "state."));
      if (a.lifecycle) {
        const Object& status = state_fields.at("status");
        state.symbols.push_back(
            ExprSymbol{"status", status_type(a), false, "state.status", enum_cpp_of(status)});
      }
      scope.groups.push_back(std::move(state));
    }
    scope.groups.push_back({"config", false, config_});
    return scope;
  }

  static ExprSymbol symbol(const model::Field& f, const Object& view, const std::string& owner) {
    return ExprSymbol{f.name, f.type, view.find("optional")->as_bool(), owner + text(view, "snake"),
                      enum_cpp_of(view)};
  }

  std::string translate(const model::Expression& e, const ExprScope& scope,
                        const std::string& target_enum) {
    if (e.source.find("config.") != std::string::npos) uses_settings_ = true;
    std::string cpp = expression_cpp(e, scope, target_enum);
    // The headers the aggregate's code then needs.
    if (cpp.find("std::find(") != std::string::npos) includes_[aggregate_].insert("<algorithm>");
    if (cpp.find("std::int64_t") != std::string::npos) includes_[aggregate_].insert("<cstdint>");
    if (cpp.find("now_iso8601") != std::string::npos)
      includes_[aggregate_].insert("\"eskit/runtime/text/time_text.hpp\"");
    return cpp;
  }

  static Object assignment(const Object& target, std::string value) {
    return Object{{"target", "state." + text(target, "snake")}, {"value", std::move(value)}};
  }

  /// The lifecycle's part in a command: the states it may run in, and where it leads.
  Value lifecycle(const model::Command& c, const model::Aggregate& a, const Object& view) const {
    if (!a.lifecycle) return {};
    std::vector<const model::Transition*> moves;
    for (const auto& t : a.lifecycle->transitions)
      if (t.by.value == c.name) moves.push_back(&t);
    if (moves.empty()) return {};
    const std::string status = text(fields_by_name(view).at("status"), "value_cpp");
    auto enumerator = [&](const std::string& state) {
      return status + "::k" + to_case(state, Case::pascal);
    };
    List from;
    List names;
    // The next state, as one enumerator or, when the state it leaves decides, a conditional.
    std::string next;
    for (auto t = moves.rbegin(); t != moves.rend(); ++t) {
      std::string leaves;
      for (const auto& f : (*t)->from) {
        from.push_back(enumerator(f.value));
        names.push_back(f.value);
        leaves +=
            (leaves.empty() ? "" : " || ") + std::string("state.status == ") + enumerator(f.value);
      }
      next = next.empty() ? enumerator((*t)->to.value)
                          : "(" + leaves + ") ? " + enumerator((*t)->to.value) + " : " + next;
    }
    std::reverse(from.begin(), from.end());
    std::reverse(names.begin(), names.end());
    return Object{{"from", std::move(from)}, {"from_names", std::move(names)}, {"to", next}};
  }

  /// The lifecycle state an event records: the `to` of the transition of the command that
  /// emits it (the initial state for a create command), or "" when no transition says.
  Value status_after_event(const model::Aggregate& a, const model::Event& e,
                           const Object& view) const {
    if (!a.lifecycle) return "";
    const std::string status = text(fields_by_name(view).at("status"), "value_cpp");
    std::vector<const model::Command*> emitters;
    for (const auto& c : context_.commands) {
      for (const auto& emitted : c.emits)
        if (emitted.value == e.name) emitters.push_back(&c);
    }
    std::sort(emitters.begin(), emitters.end(),
              [](const auto* x, const auto* y) { return x->name < y->name; });
    for (const model::Command* c : emitters) {
      if (c->kind == model::CommandKind::create)
        return status + "::k" + to_case(a.lifecycle->initial.value, Case::pascal);
      for (const auto& t : a.lifecycle->transitions)
        if (t.by.value == c->name) return status + "::k" + to_case(t.to.value, Case::pascal);
    }
    return "";
  }

  /// An emitted event with each field's value: the aggregate's after the change, else the
  /// input's; an optional field with neither stays empty.
  Object event_fill(const Object& event, const std::map<std::string, Object>& state_fields,
                    const std::map<std::string, Object>& input_fields) const {
    List fields;
    for (const Value& fv : event.find("fields")->as_list()) {
      const Object& f = fv.as_object();
      const std::string& name = text(f, "name");
      std::string value;
      if (auto s = state_fields.find(name); s != state_fields.end()) {
        value = convert_field("state." + text(s->second, "snake"), s->second, f);
      } else if (auto i = input_fields.find(name); i != input_fields.end()) {
        value = convert_field("command." + text(i->second, "snake"), i->second, f);
      } else {
        continue;
      }
      fields.push_back(Object{{"snake", text(f, "snake")}, {"value", std::move(value)}});
    }
    return Object{{"pascal", text(event, "pascal")}, {"fields", std::move(fields)}};
  }

  const model::Context& context_;
  std::map<std::string, Object> aggregates_;
  std::map<std::string, Object> events_;
  std::vector<ExprSymbol> config_;
  std::vector<std::pair<std::string, std::string>> reactions_;  // command, correlation field
  bool uses_settings_ = false;
  std::string aggregate_;  // the aggregate of the command being built
  std::map<std::string, std::set<std::string>> includes_;  // by aggregate: headers its code uses
};

}  // namespace

List table_columns(const Object& view, const std::string& key, bool with_key,
                   const std::string& variable) {
  List out;
  for (const Value& fv : view.find("fields")->as_list()) {
    const Object& f = fv.as_object();
    if (text(f, "name") == key && !with_key) continue;
    const bool optional = f.find("optional")->as_bool();
    const std::string& cpp = text(f, "value_cpp");
    const std::string member = variable + "." + text(f, "snake");
    std::string column_cpp = cpp;
    std::string to = member;
    std::string from = "std::move(value)";
    if (f.find("is_enum")->as_bool()) {
      column_cpp = "std::string";
      to = "std::string(to_string(" + std::string(optional ? "*" : "") + member + "))";
      from = "json_support::enum_from_text<" + cpp + ">(" + std::string(optional ? "*" : "") +
             "value)";
    } else if (f.find("json_column")->as_bool()) {
      column_cpp = "std::string";
      to = "json_support::to_text(" + std::string(optional ? "*" : "") + member + ")";
      from = "json_support::from_text<" + cpp + ">(" + std::string(optional ? "*" : "") + "value)";
    } else if (cpp == "std::int32_t") {
      column_cpp = "int";
    }
    if (optional && to != member) {
      to = member + " ? std::optional<std::string>(" + to + ") : std::nullopt";
      from = "value ? std::optional<" + cpp + ">(" + from + ") : std::nullopt";
    }
    out.push_back(Object{{"name", text(f, "snake")},
                         {"cpp", optional ? "std::optional<" + column_cpp + ">" : column_cpp},
                         {"to", to},
                         {"from", from}});
  }
  return out;
}

void add_behaviour(const model::Model& model, const model::Context& context, List& aggregates,
                   List& commands, const List& events) {
  BehaviourBuilder builder(model, context, aggregates, events);
  List with_commands;
  for (const Value& v : commands) {
    Object view = v.as_object();
    const model::Command* c = context.find_command(text(view, "name"));
    view.set("key", builder.key(*c));
    if (c->kind == model::CommandKind::query) {
      view.set("behaviour", Value());  // a query changes nothing
      with_commands.push_back(std::move(view));
      continue;
    }
    view.set("behaviour", builder.command(*c, view));
    with_commands.push_back(std::move(view));
  }
  commands = std::move(with_commands);
  List with_aggregates;
  for (const Value& v : aggregates) {
    Object view = v.as_object();
    view.set("behaviour", builder.aggregate(*context.find_aggregate(text(view, "name")), view));
    with_aggregates.push_back(std::move(view));
  }
  aggregates = std::move(with_aggregates);
}

}  // namespace eskit::generate
