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

namespace eskit::generate {

namespace {

using model::Type;
using tmpl::Case;
using tmpl::List;
using tmpl::Object;
using tmpl::to_case;
using tmpl::Value;

const std::string& text(const Object& o, std::string_view key) { return o.find(key)->as_string(); }

const Object* named(const List& views, const std::string& name) {
  for (const Value& v : views)
    if (text(v.as_object(), "name") == name) return &v.as_object();
  return nullptr;
}

std::map<std::string, Object> fields_by_name(const Object& view) {
  std::map<std::string, Object> out;
  for (const Value& f : view.find("fields")->as_list())
    out.emplace(text(f.as_object(), "name"), f.as_object());
  return out;
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
  }

  List policies() {
    std::vector<const model::Policy*> sorted;
    for (const auto& p : context_.policies) sorted.push_back(&p);
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
    for (const auto& p : v.projections) {
      Object event = event_ref(p.on);
      topics.insert(text(event, "topic"));
      projections.push_back(projection(p, event, fields));
    }
    view.set("projections", std::move(projections));
    view.set("topics", List(topics.begin(), topics.end()));
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

  Object projection(const model::Projection& p, const Object& event,
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
    return out;
  }

  const model::Model& model_;
  const model::Context& context_;
  const List& commands_;
  const List& events_;
  std::vector<ExprSymbol> config_;
  std::map<std::string, std::map<std::string, Object>> inbound_;
  std::map<std::string, Object> aggregate_views_;
  bool uses_settings_ = false;
  bool uses_now_ = false;
};

}  // namespace

void add_flows(const model::Model& model, const model::Context& context, Object& context_view,
               const List& commands, const List& events, List& views) {
  FlowBuilder builder(model, context, context_view.find("aggregates")->as_list(), commands, events);
  context_view.set("policies", builder.policies());
  List rebuilt;
  for (const Value& v : views) {
    const model::View* view = context.find_view(text(v.as_object(), "name"));
    rebuilt.push_back(builder.view(*view, v.as_object()));
  }
  views = std::move(rebuilt);
  context_view.set("inbound", builder.inbound());
  context_view.set("flows_use_now", builder.uses_now());
  context_view.set("subscribes", !context.policies.empty() || !context.views.empty());
}

}  // namespace eskit::generate
