#include "flow_view.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "behaviour.hpp"
#include "conversion.hpp"
#include "eskit/template/case.hpp"
#include "expression_cpp.hpp"
#include "type_mapping.hpp"
#include "view_access.hpp"

namespace eskit::generate {

namespace {

using model::Type;
using tmpl::Case;
using tmpl::List;
using tmpl::Object;
using tmpl::to_case;
using tmpl::Value;

const Object* named(const List& views, const std::string& name) {
  for (const Value& v : views)
    if (text(v.as_object(), "name") == name) return &v.as_object();
  return nullptr;
}

const Type* innermost(const Type& type) {
  const Type* t = &type;
  while (t->kind == Type::Kind::list && t->element) t = t->element.get();
  return t;
}

/// A field of another context's event, as this context reads it: that context's enums are
/// their text and its value objects JSON, since this service has neither type.
Object foreign_field(const model::Field& f, const model::Context& owner) {
  const Type& leaf = *innermost(*f.type);
  const model::ValueType* named_type =
      leaf.kind == Type::Kind::named ? owner.find_type(leaf.name) : nullptr;
  const bool text_enum =
      leaf.kind == Type::Kind::inline_enum || (named_type != nullptr && named_type->is_enum);
  const bool record = named_type != nullptr && !named_type->is_enum;
  std::string value_cpp;
  std::string init;
  if (record) {
    value_cpp = "boost::json::value";
  } else if (text_enum) {
    value_cpp = f.type->kind == Type::Kind::list ? "std::vector<std::string>" : "std::string";
  } else {
    value_cpp = cpp_type(*f.type, "");
    init = member_initialiser(*f.type, false);
  }
  const bool optional = !f.required || f.type->optional;
  Object out{{"name", f.name},
             {"snake", to_case(f.name, Case::snake)},
             {"doc", List()},
             {"value_cpp", value_cpp},
             {"cpp", optional ? "std::optional<" + value_cpp + ">" : value_cpp},
             {"init", optional ? "" : init},
             {"optional", optional},
             {"is_enum", false},
             {"leaf_enum", false},
             {"text_enum", text_enum && f.type->kind != Type::Kind::list}};
  return out;
}

class FlowBuilder {
 public:
  FlowBuilder(const model::Model& model, const model::Context& context, const List& aggregates,
              const List& commands, const List& events)
      : model_(model), context_(context), commands_(commands), events_(events) {
    for (const auto& c : context.config)
      config_.push_back(
          ExprSymbol{c.name, c.type, false, "h.settings." + to_case(c.name, Case::snake), ""});
    for (const Value& a : aggregates)
      aggregate_views_.emplace(text(a.as_object(), "name"), a.as_object());
    choreographed_compensations();
  }

  List policies() {
    std::vector<const model::Policy*> sorted;
    for (const auto& p : context_.policies) sorted.push_back(&p);
    for (const auto& p : compensations_) sorted.push_back(&p);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return a->name < b->name; });
    List out;
    for (const model::Policy* p : sorted) out.push_back(policy(*p));
    return out;
  }

  Object view(const model::View& v, Object view) {
    const auto fields = fields_by_name(view);
    const std::string& key = v.key.value;
    // The row struct is `<View>Row`: a view may share its name with an enum (`OrderStatus`).
    Object row_struct = view;
    row_struct.set("pascal", text(view, "pascal") + "Row");
    view.set("row_struct", std::move(row_struct));
    view.set("row", table_columns(view, key, true, "row"));
    view.set("values", table_columns(view, key, false, "row"));
    for (const Value& c : table_columns(view, key, true, "row"))
      if (text(c.as_object(), "name") == to_case(key, Case::snake)) view.set("key_column", c);
    List projections;
    std::set<std::string> topics;
    std::set<std::string> event_types;
    for (const auto& p : v.projections) {
      Object event = event_ref(p.on);
      topics.insert(text(event, "topic"));
      event_types.insert(text(event, "name"));
      projections.push_back(projection(p, v, event, fields));
    }
    view.set("projections", std::move(projections));
    view.set("topics", List(topics.begin(), topics.end()));
    view.set("event_types", List(event_types.begin(), event_types.end()));
    List queries;
    std::vector<const model::Query*> sorted;
    for (const auto& q : v.queries) sorted.push_back(&q);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return a->name < b->name; });
    for (const model::Query* q : sorted) {
      if (!q->http) continue;
      bool one = false;
      for (const auto& param : q->http->parameters) one = one || param.value == key;
      List filters;
      for (const auto& f : q->filter) filters.push_back(filter(fields.at(f.value)));
      List roles;
      for (const auto& r : q->roles) roles.push_back(r.value);
      Object query{
          {"name", q->name}, {"snake", to_case(q->name, Case::snake)}, {"path", q->http->path},
          {"one", one},      {"filters", std::move(filters)},          {"roles", std::move(roles)}};
      query.set("key", fields.at(key));
      queries.push_back(std::move(query));
    }
    view.set("queries", std::move(queries));
    return view;
  }

  /// The sync calls of the context's commands: where they go, what they send, and the
  /// relation's timeout, retry, breaker and fallback.
  List calls() {
    std::vector<const model::SyncCall*> sorted;
    for (const auto& c : context_.calls) sorted.push_back(&c);
    std::sort(sorted.begin(), sorted.end(),
              [](const auto* a, const auto* b) { return a->name < b->name; });
    List out;
    for (const model::SyncCall* c : sorted) out.push_back(call(*c));
    return out;
  }

  /// The other contexts' events this context reads, by context.
  List inbound() const {
    List out;
    for (const auto& [context, events] : inbound_) {
      List list;
      for (const auto& [name, event] : events) list.push_back(event);
      out.push_back(Object{{"snake", context}, {"events", std::move(list)}});
    }
    return out;
  }

  bool uses_settings() const { return uses_settings_; }
  bool uses_now() const { return uses_now_; }

 private:
  /// A choreographed saga compensates by reaction: when a step fails (its `fails_on` event),
  /// each context whose command compensates an earlier step runs it, finding its aggregate by
  /// the saga's correlation field. Each becomes a policy of that context, named
  /// `<Saga>Compensates<Step>`.
  void choreographed_compensations() {
    for (const auto& saga : model_.sagas) {
      if (saga.style != model::SagaStyle::choreography) continue;
      for (std::size_t i = 0; i < saga.steps.size(); ++i) {
        for (const auto& failure : saga.steps[i].fails_on) {
          for (std::size_t j = 0; j < i; ++j) {
            const auto& earlier = saga.steps[j];
            if (!earlier.compensation) continue;
            const std::string owner = earlier.compensation->context;
            if (owner != context_.name) continue;
            model::Policy p;
            p.name = saga.name + "Compensates" + to_case(earlier.name.value, Case::pascal);
            p.description = "compensation of the " + saga.name + " saga's step " +
                            earlier.name.value + " when " + failure.spelling() + " arrives";
            p.when = failure;
            p.then = model::Text{earlier.compensation->name, earlier.compensation->where};
            model::Assignment correlate;
            correlate.target = saga.correlation;
            correlate.value.source = saga.correlation.value;
            std::size_t column = 0;
            std::string message;
            if (auto tree = model::parse_expression(saga.correlation.value, column, message))
              correlate.value.tree = *tree;
            p.correlate.push_back(std::move(correlate));
            compensations_.push_back(std::move(p));
          }
        }
      }
    }
  }

  std::string translate(const model::Expression& e, const ExprScope& scope,
                        const std::string& target_enum) {
    std::string cpp = expression_cpp(e, scope, target_enum);
    uses_now_ = uses_now_ || cpp.find("now_iso8601") != std::string::npos;
    return cpp;
  }

  /// An event a flow reacts to: its C++ struct here, the topic and envelope source it comes
  /// with, and its fields as this context reads them.
  Object event_ref(const model::Ref& ref) {
    const model::Context* owner =
        ref.context.empty() ? &context_ : model_.find_context(ref.context);
    const model::Event* e = owner->find_event(ref.name);
    const std::string owner_snake = to_case(owner->name, Case::snake);
    Object out{{"name", e->name},
               {"source", owner->name},
               {"topic", owner_snake + ".events"},
               {"own", owner == &context_}};
    if (owner == &context_) {
      const Object& own = *named(events_, e->name);
      out.set("cpp", text(own, "pascal"));
      out.set("fields", *own.find("fields"));
      return out;
    }
    List fields;
    for (const auto& f : e->fields) fields.push_back(foreign_field(f, *owner));
    Object inbound{
        {"name", e->name}, {"pascal", to_case(e->name, Case::pascal)}, {"fields", fields}};
    inbound_[owner_snake].emplace(e->name, std::move(inbound));
    out.set("cpp", "inbound::" + owner_snake + "::" + to_case(e->name, Case::pascal));
    out.set("fields", std::move(fields));
    return out;
  }

  ExprScope event_scope(const Object& event) const {
    ExprScope scope;
    ExprScope::Group group{"event", true, {}};
    const model::Context* owner = text(event, "source") == context_.name
                                      ? &context_
                                      : model_.find_context(text(event, "source"));
    const model::Event* e = owner->find_event(text(event, "name"));
    const auto views = fields_by_name(event);
    for (const auto& f : e->fields) {
      const Object& v = views.at(f.name);
      std::string enum_cpp;
      if (v.find("is_enum")->as_bool()) enum_cpp = text(v, "value_cpp");
      // Another context's enum is text here: a bare word compared with it is that text.
      if (v.contains("text_enum") && v.find("text_enum")->as_bool()) enum_cpp = "std::string";
      group.symbols.push_back(ExprSymbol{f.name, f.type, v.find("optional")->as_bool(),
                                         "event." + text(v, "snake"), enum_cpp});
    }
    scope.groups.push_back(std::move(group));
    scope.groups.push_back({"config", false, config_});
    return scope;
  }

  /// The value an expression gives a field: a bare event field is converted as a copy would
  /// be; anything else is translated against the target's enum.
  std::string value_for(const model::Expression& e, const Object& event, const Object& target) {
    const auto event_fields = fields_by_name(event);
    if (e.tree->kind == model::Expr::Kind::path) {
      const auto& path = e.tree->path;
      const std::string name =
          path.size() == 2 && path[0] == "event" ? path[1] : (path.size() == 1 ? path[0] : "");
      if (auto f = event_fields.find(name); f != event_fields.end())
        return convert_field("event." + text(f->second, "snake"), f->second, target);
    }
    if (e.source.find("config.") != std::string::npos) uses_settings_ = true;
    const std::string enum_cpp =
        target.find("is_enum")->as_bool() ? text(target, "value_cpp") : std::string();
    return translate(e, event_scope(event), enum_cpp);
  }

  Object policy(const model::Policy& p) {
    Object event = event_ref(p.when);
    const Object& command = *named(commands_, p.then.value);
    const auto inputs = fields_by_name(command);
    const auto event_fields = fields_by_name(event);
    Object out{{"name", p.name},
               {"snake", to_case(p.name, Case::snake)},
               {"kebab", to_case(p.name, Case::kebab)},
               {"event", event},
               {"command", command}};
    std::string condition;
    if (p.condition) {
      if (p.condition->source.find("config.") != std::string::npos) uses_settings_ = true;
      condition = translate(*p.condition, event_scope(event), "");
    }
    out.set("condition", condition);
    // The command's input: `map:` entries, else the event's field of the same name.
    List assignments;
    for (const Value& fv : command.find("fields")->as_list()) {
      const Object& f = fv.as_object();
      const std::string& name = text(f, "name");
      std::string value;
      auto mapped = std::find_if(p.map.begin(), p.map.end(), [&](const model::Assignment& a) {
        return a.target.value == name;
      });
      if (mapped != p.map.end()) {
        value = value_for(mapped->value, event, f);
      } else if (auto e = event_fields.find(name); e != event_fields.end()) {
        value = convert_field("event." + text(e->second, "snake"), e->second, f);
      } else {
        continue;
      }
      assignments.push_back(
          Object{{"target", "command." + text(f, "snake")}, {"value", std::move(value)}});
    }
    out.set("assignments", std::move(assignments));
    // How the target aggregate is found: its id, or a unique field, from the event.
    Value find;
    if (!p.correlate.empty()) {
      const model::Assignment& c = p.correlate.front();
      const model::Aggregate* a =
          context_.find_aggregate(text(command.find("aggregate")->as_object(), "name"));
      const Object& id = command.find("key")->as_object().find("id")->as_object();
      const model::Expression& source = c.value;
      std::string field = source.tree && source.tree->kind == model::Expr::Kind::path
                              ? source.tree->path.back()
                              : source.source;
      const auto e = event_fields.find(field);
      if (e == event_fields.end())
        throw std::logic_error("policy " + p.name + ": correlate reads no event field");
      const bool by_id = c.target.value == a->id.value;
      const Object* target = nullptr;
      for (const Value& fv : view_of_aggregate(a->name).find("fields")->as_list())
        if (text(fv.as_object(), "name") == c.target.value) target = &fv.as_object();
      find = Object{{"by_id", by_id},
                    {"field", *target},
                    {"value", convert_field("event." + text(e->second, "snake"), e->second,
                                            by_id ? id : *target)}};
    }
    out.set("find", find);
    out.set("attempts", p.on_failure.retries + 1);
    out.set("backoff_ms", p.on_failure.backoff_ms);
    out.set("discard", !p.on_failure.dead_letter);
    return out;
  }

  Object call(const model::SyncCall& k) {
    const Object& from = *named(commands_, k.from.value);
    const model::Command& caller = *context_.find_command(k.from.value);
    const model::Context& target_context = *model_.find_context(k.to.context);
    const model::Command& target = *target_context.find_command(k.to.name);
    // What the expressions see: the calling command's input, then its aggregate (`this.`).
    ExprScope scope;
    ExprScope::Group input{"input", true, {}};
    const auto inputs = fields_by_name(from);
    for (const auto& f : caller.input) {
      const Object& v = inputs.at(f.name);
      input.symbols.push_back(ExprSymbol{f.name, f.type, v.find("optional")->as_bool(),
                                         "command." + text(v, "snake"), enum_of(v)});
    }
    scope.groups.push_back(std::move(input));
    const model::Aggregate& a = *context_.find_aggregate(caller.aggregate.value);
    if (caller.kind != model::CommandKind::create) {
      ExprScope::Group state{"this", true, {}};
      const auto fields = fields_by_name(aggregate_views_.at(a.name));
      for (const auto& f : a.fields) {
        const Object& v = fields.at(f.name);
        state.symbols.push_back(ExprSymbol{f.name, f.type, v.find("optional")->as_bool(),
                                           "state." + text(v, "snake"), enum_of(v)});
      }
      scope.groups.push_back(std::move(state));
    }
    scope.groups.push_back({"config", false, config_});
    // The target's input, by name: mapped, else the calling input's field of that name.
    List body;
    std::map<std::string, std::string> values;
    for (const auto& f : target.input) {
      auto mapped = std::find_if(k.map.begin(), k.map.end(), [&](const model::Assignment& m) {
        return m.target.value == f.name;
      });
      std::string value;
      if (mapped != k.map.end()) {
        value = translate(mapped->value, scope, "");
      } else if (inputs.count(f.name)) {
        value = "command." + text(inputs.at(f.name), "snake");
      } else {
        continue;
      }
      values[f.name] = value;
      body.push_back(Object{{"name", f.name}, {"value", value}});
    }
    // The path with its parameters filled in, as C++ concatenating literals and segments.
    const model::HttpBinding& route = *target.http;
    std::string path = "\"";
    for (std::size_t i = 0; i < route.path.size(); ++i) {
      if (route.path[i] != '{') {
        path += route.path[i];
        continue;
      }
      const std::size_t end = route.path.find('}', i);
      const std::string name = route.path.substr(i + 1, end - i - 1);
      const model::Field* f = target.find_input(name);
      const bool integral = f && f->type->kind == Type::Kind::primitive &&
                            (f->type->primitive == model::Primitive::int32 ||
                             f->type->primitive == model::Primitive::int64);
      const std::string value = values.count(name) ? values.at(name) : "\"\"";
      path += "\" + http::path_segment(" + (integral ? "std::to_string(" + value + ")" : value) +
              ") + \"";
      i = end;
    }
    path += "\"";
    const std::string empty_tail = " + \"\"";
    if (path.size() > empty_tail.size() && path.ends_with(empty_tail))
      path.resize(path.size() - empty_tail.size());
    const bool has_body = route.method != "GET" && route.method != "DELETE";
    bool uses_state = false;
    bool uses_command = false;
    for (const auto& [name, value] : values) {
      uses_state = uses_state || value.find("state.") != std::string::npos;
      uses_command = uses_command || value.find("command.") != std::string::npos;
    }
    Object out{{"name", k.name},
               {"snake", to_case(k.name, Case::snake)},
               {"creates", caller.kind == model::CommandKind::create},
               {"uses_state", uses_state},
               {"uses_command", uses_command},
               {"from", k.from.value},
               {"callee", target_context.name},
               {"target", target.name},
               {"method", route.method},
               {"path", path},
               {"has_body", has_body},
               {"body", has_body ? Value(std::move(body)) : Value(List())},
               {"setting", context_.name + "." + to_case(k.name, Case::camel) + ".url"},
               {"default_url", "http://" + to_case(target_context.name, Case::kebab) + ":8080"},
               {"timeout_ms", k.timeout_ms.value_or(5000)},
               {"attempts", k.retry.attempts},
               {"backoff_ms", k.retry.backoff_ms},
               {"max_backoff_ms", k.retry.max_backoff_ms}};
    if (k.breaker.enabled) {
      const auto& b = k.breaker;
      out.set("breaker",
              Object{{"time_window", b.time_window},
                     {"window", b.window},
                     {"min_calls", b.min_calls},
                     {"failure_rate", std::to_string(b.failure_rate)},
                     {"slow_call_rate", std::to_string(b.slow_call_rate)},
                     {"slow_call_ms",
                      b.slow_call_ms > 0 ? b.slow_call_ms : k.timeout_ms.value_or(5000)},
                     {"wait_ms", b.wait_ms},
                     {"half_open_calls", b.half_open_calls},
                     {"max_failures", b.max_failures ? Value(*b.max_failures) : Value()}});
    } else {
      out.set("breaker", Value());
    }
    std::string fallback = "none";
    switch (k.fallback.kind) {
      case model::FallbackKind::reject:
        fallback = "reject";
        break;
      case model::FallbackKind::fixed:
        fallback = "fixed";
        break;
      case model::FallbackKind::cached:
        fallback = "cached";
        break;
      case model::FallbackKind::none:
        break;
    }
    out.set("fallback", Object{{"kind", fallback}, {"message", k.fallback.message}});
    out.set("not_found", model::spelling(k.not_found));
    return out;
  }

  static std::string enum_of(const Object& field) {
    return field.find("is_enum")->as_bool() ? text(field, "value_cpp") : std::string();
  }

  const Object& view_of_aggregate(const std::string& name) const {
    return aggregate_views_.at(name);
  }

  Object filter(const Object& field) const {
    const std::string& cpp = text(field, "value_cpp");
    return Object{{"name", text(field, "name")},
                  {"snake", text(field, "snake")},
                  {"integer", cpp == "std::int64_t" || cpp == "std::int32_t"},
                  {"sql", *field.find("sql")}};
  }

  Object projection(const model::Projection& p, const model::View& view, const Object& event,
                    const std::map<std::string, Object>& fields) {
    const auto event_fields = fields_by_name(event);
    Object out{{"event", event}, {"op", model::spelling(p.op)}};
    List match;
    for (const auto& m : p.match) {
      const Object& target = fields.at(m.target.value);
      match.push_back(Object{{"field", target}, {"value", value_for(m.value, event, target)}});
    }
    out.set("match", std::move(match));
    List set;
    for (const auto& s : p.set) {
      const Object& target = fields.at(s.target.value);
      set.push_back(Object{{"target", "row." + text(target, "snake")},
                           {"value", value_for(s.value, event, target)}});
    }
    out.set("set", std::move(set));
    auto steps = [&](const std::vector<model::Text>& names) {
      List list;
      for (const auto& n : names) list.push_back(fields.at(n.value));
      return list;
    };
    out.set("increment", steps(p.increment));
    out.set("decrement", steps(p.decrement));
    List append;
    for (const auto& a : p.append) {
      const Object& target = fields.at(a.target.value);
      append.push_back(Object{{"target", "row." + text(target, "snake")},
                              {"value", translate(a.value, event_scope(event), "")}});
    }
    out.set("append", std::move(append));
    std::string condition;
    if (p.condition) {
      if (p.condition->source.find("config.") != std::string::npos) uses_settings_ = true;
      ExprScope scope = event_scope(event);
      ExprScope::Group row{"this", false, {}};
      for (const auto& f : view.fields) {
        const Object& v = fields.at(f.name);
        row.symbols.push_back(ExprSymbol{f.name, f.type, v.find("optional")->as_bool(),
                                         "row." + text(v, "snake"), enum_of(v)});
      }
      scope.groups.push_back(std::move(row));
      condition = translate(*p.condition, scope, "");
      out.set("condition_source", p.condition->source);
    }
    out.set("condition", condition);
    return out;
  }

  const model::Model& model_;
  const model::Context& context_;
  const List& commands_;
  const List& events_;
  std::vector<ExprSymbol> config_;
  std::map<std::string, std::map<std::string, Object>> inbound_;
  std::map<std::string, Object> aggregate_views_;
  std::vector<model::Policy> compensations_;  // of choreographed sagas, policies of their own
  bool uses_settings_ = false;
  bool uses_now_ = false;
};

}  // namespace

void add_flows(const model::Model& model, const model::Context& context, Object& context_view,
               const List& commands, const List& events, List& views) {
  FlowBuilder builder(model, context, context_view.find("aggregates")->as_list(), commands, events);
  const List policies = builder.policies();
  context_view.set("policies", policies);
  List rebuilt;
  for (const Value& v : views) {
    const model::View* view = context.find_view(text(v.as_object(), "name"));
    rebuilt.push_back(builder.view(*view, v.as_object()));
  }
  views = std::move(rebuilt);
  const List calls = builder.calls();
  context_view.set("calls", calls);
  // Each command with the calls it makes, for its endpoint.
  List with_calls;
  for (const Value& c : context_view.find("commands")->as_list()) {
    Object command = c.as_object();
    List made;
    for (const Value& k : calls)
      if (text(k.as_object(), "from") == text(command, "name")) made.push_back(k);
    command.set("calls", std::move(made));
    with_calls.push_back(std::move(command));
  }
  context_view.set("commands", std::move(with_calls));
  context_view.set("inbound", builder.inbound());
  context_view.set("flows_use_now", builder.uses_now());
  context_view.set("subscribes", !policies.empty() || !context.views.empty());
  // An `update` projection throws while its row is not there yet (std::runtime_error).
  context_view.set(
      "updates_views",
      std::any_of(context.views.begin(), context.views.end(), [](const model::View& v) {
        return std::any_of(
            v.projections.begin(), v.projections.end(),
            [](const model::Projection& p) { return p.op == model::ProjectionOp::update; });
      }));
}

}  // namespace eskit::generate
