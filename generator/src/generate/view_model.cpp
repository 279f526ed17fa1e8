#include "eskit/generate/view_model.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "behaviour.hpp"
#include "eskit/runtime/text/join.hpp"
#include "eskit/template/case.hpp"
#include "example_view.hpp"
#include "flow_view.hpp"
#include "type_mapping.hpp"

namespace eskit::generate {

namespace {

using model::Type;
using tmpl::Case;
using tmpl::List;
using tmpl::Object;
using tmpl::to_case;
using tmpl::Value;

template <typename T>
std::vector<const T*> sorted_by_name(const std::vector<T>& items) {
  std::vector<const T*> out;
  for (const auto& item : items) out.push_back(&item);
  std::sort(out.begin(), out.end(), [](const T* a, const T* b) { return a->name < b->name; });
  return out;
}

List sorted_list(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return List(items.begin(), items.end());
}

/// The names a template may want for one model name.
Object names(const std::string& name) {
  return Object{{"name", name},
                {"snake", to_case(name, Case::snake)},
                {"pascal", to_case(name, Case::pascal)},
                {"camel", to_case(name, Case::camel)},
                {"kebab", to_case(name, Case::kebab)},
                {"screaming", to_case(name, Case::screaming)}};
}

/// `text` as comment lines of at most `width` bytes, so a `///` comment stays inside clang-format's
/// 100 columns wherever it is indented (bytes never undercount columns, even for Hangul).
List comment_lines(const std::string& text, std::size_t width = 88) {
  List lines;
  std::string line;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t start = text.find_first_not_of(" \t\r\n", pos);
    if (start == std::string::npos) break;
    std::size_t end = text.find_first_of(" \t\r\n", start);
    if (end == std::string::npos) end = text.size();
    std::string_view word(text.data() + start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    pos = end;
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

void describe(Object& out, const std::string& description) {
  out.set("description", description);
  out.set("doc", comment_lines(description));
}

const Type* innermost(const Type& type) {
  const Type* t = &type;
  while (t->kind == Type::Kind::list && t->element) t = t->element.get();
  return t;
}

/// Builds the context's view: inline enums found in fields are collected as they are met.
class ContextViewBuilder {
 public:
  ContextViewBuilder(const model::Model& model, const model::Context& context)
      : model_(model), context_(context) {}

  Value build() {
    Object out = names(context_.name);
    describe(out, context_.description);
    out.set("storage", model::spelling(context_.storage));

    List records;
    for (const model::ValueType* t : records_in_dependency_order()) records.push_back(record(*t));

    List aggregates;
    for (const auto* a : sorted_by_name(context_.aggregates)) aggregates.push_back(aggregate(*a));
    List commands;
    for (const auto* c : sorted_by_name(context_.commands)) commands.push_back(command(*c));
    List events;
    for (const auto* e : sorted_by_name(context_.events)) events.push_back(event(*e));
    List views;
    for (const auto* v : sorted_by_name(context_.views)) views.push_back(view(*v));

    for (const auto* t : sorted_by_name(context_.types)) {
      if (!t->is_enum) continue;
      std::vector<std::string> values;
      for (const auto& v : t->enum_values) values.push_back(v.value);
      add_enum(to_case(t->name, Case::pascal), t->description, values);
    }
    List enums;
    for (auto& [name, e] : enums_) enums.push_back(std::move(e));

    add_behaviour(model_, context_, aggregates, commands, events);
    out.set("settings", settings());
    // One topic carries every event of the context, keyed by aggregate id.
    out.set("topic", to_case(context_.name, Case::snake) + ".events");
    bool uses_auth = false;
    for (const auto& c : context_.commands) uses_auth = uses_auth || !c.roles.empty();
    for (const auto& v : context_.views)
      for (const auto& q : v.queries) uses_auth = uses_auth || !q.roles.empty();
    const bool issues_tokens =
        std::any_of(context_.commands.begin(), context_.commands.end(),
                    [](const model::Command& c) { return c.issues_token.has_value(); });
    out.set("issues_tokens", issues_tokens);
    out.set("token_lifetimes", token_lifetimes());
    out.set("uses_auth", uses_auth);
    out.set("decides", std::any_of(context_.commands.begin(), context_.commands.end(),
                                   [](const model::Command& c) { return c.http.has_value(); }));
    // The test files of the aggregates whose commands give examples.
    List tests;
    for (const auto* a : sorted_by_name(context_.aggregates)) {
      const bool has_examples =
          std::any_of(context_.commands.begin(), context_.commands.end(), [&](const auto& c) {
            return c.aggregate.value == a->name && c.kind != model::CommandKind::query &&
                   !c.examples.empty();
          });
      if (has_examples) tests.push_back(to_case(a->name, Case::snake) + "_test.cpp");
    }
    out.set("tests", std::move(tests));
    out.set("enums", std::move(enums));
    out.set("records", std::move(records));
    out.set("aggregates", std::move(aggregates));
    out.set("commands", commands);
    out.set("events", events);
    add_flows(model_, context_, out, commands, events, views);
    out.set("views", std::move(views));

    // Include lists sorted as clang-format sorts them, which is not the order of the names.
    std::vector<std::string> bases{"gen/commands.hpp"};
    for (const auto& a : context_.aggregates)
      bases.push_back("gen/" + to_case(a.name, Case::snake) + "_state.hpp");
    std::vector<std::string> rules;
    for (const auto& c : context_.commands)
      rules.push_back("src/" + to_case(c.name, Case::snake) + "_rule.hpp");
    out.set("rule_base_includes", sorted_list(std::move(bases)));
    out.set("rule_includes", sorted_list(std::move(rules)));
    return out;
  }

 private:
  bool is_enum(const std::string& type_name) const {
    const model::ValueType* t = context_.find_type(type_name);
    return t && t->is_enum;
  }

  void add_enum(const std::string& cpp_name, const std::string& description,
                const std::vector<std::string>& values) {
    List items;
    for (const auto& v : values) {
      items.push_back(Object{{"name", v}, {"enumerator", "k" + to_case(v, Case::pascal)}});
    }
    Object e{{"name", cpp_name}, {"values", std::move(items)}};
    describe(e, description);
    enums_.emplace(cpp_name, std::move(e));
  }

  /// `owner` names inline enums: field `method` of `Pay` has the enum `PayMethod`.
  Object field(const std::string& name, const Type& type, bool required, const std::string& owner,
               const std::string& description, bool unique = false) {
    const Type& leaf = *innermost(type);
    std::string enum_name = to_case(owner, Case::pascal) + to_case(name, Case::pascal);
    if (leaf.kind == Type::Kind::inline_enum) add_enum(enum_name, "", leaf.enum_values);

    const bool leaf_enum = leaf.kind == Type::Kind::inline_enum ||
                           (leaf.kind == Type::Kind::named && is_enum(leaf.name));
    const bool leaf_record = leaf.kind == Type::Kind::named && !leaf_enum;
    const bool optional = !required || type.optional;
    std::string value_cpp = cpp_type(type, enum_name);

    List enum_values;  // for a CHECK constraint on a scalar enum column
    if (type.kind == Type::Kind::inline_enum) {
      for (const auto& v : type.enum_values) enum_values.push_back(v);
    } else if (type.kind == Type::Kind::named && leaf_enum) {
      for (const auto& v : context_.find_type(type.name)->enum_values)
        enum_values.push_back(v.value);
    }
    const bool json_column = type.kind == Type::Kind::list || leaf_record;

    Object out = names(name);
    describe(out, description);
    out.set("type", type.spelling());
    out.set("value_cpp", value_cpp);
    out.set("cpp", optional ? "std::optional<" + value_cpp + ">" : value_cpp);
    out.set("init", optional ? "" : member_initialiser(type, leaf_enum));
    out.set("optional", optional);
    out.set("unique", unique);
    out.set("is_enum", type.kind != Type::Kind::list && leaf_enum);
    out.set("leaf_enum", leaf_enum);
    out.set("enum_values", std::move(enum_values));
    out.set("json_column", json_column);
    out.set("sql", Object{{"sqlite", sql_type(type, leaf_record, Dialect::sqlite)},
                          {"postgresql", sql_type(type, leaf_record, Dialect::postgresql)}});
    return out;
  }

  List fields(const std::vector<model::Field>& fs, const std::string& owner) {
    List out;
    for (const auto& f : fs) {
      Object v = field(f.name, *f.type, f.required, owner, f.description, f.unique);
      v.set("secret", f.secret);
      out.push_back(std::move(v));
    }
    return out;
  }

  /// Value objects may hold one another: each comes after the ones it holds, ties by name.
  std::vector<const model::ValueType*> records_in_dependency_order() const {
    std::vector<const model::ValueType*> out;
    std::set<std::string> done;
    std::set<std::string> visiting;
    std::function<void(const model::ValueType&)> visit = [&](const model::ValueType& t) {
      if (done.count(t.name) || visiting.count(t.name)) return;
      visiting.insert(t.name);
      std::vector<std::string> held;
      for (const auto& f : t.fields) {
        const Type& leaf = *innermost(*f.type);
        if (leaf.kind == Type::Kind::named) held.push_back(leaf.name);
      }
      std::sort(held.begin(), held.end());
      for (const auto& name : held) {
        const model::ValueType* h = context_.find_type(name);
        if (h && !h->is_enum) visit(*h);
      }
      visiting.erase(t.name);
      done.insert(t.name);
      out.push_back(&t);
    };
    for (const auto* t : sorted_by_name(context_.types))
      if (!t->is_enum) visit(*t);
    return out;
  }

  Value record(const model::ValueType& t) {
    Object out = names(t.name);
    describe(out, t.description);
    out.set("fields", fields(t.fields, t.name));
    return out;
  }

  Value aggregate(const model::Aggregate& a) {
    Object out = names(a.name);
    describe(out, a.description);
    List fs = fields(a.fields, a.name);
    if (a.lifecycle) {
      Type status;
      status.kind = Type::Kind::inline_enum;
      for (const auto& s : a.lifecycle->states) status.enum_values.push_back(s.value);
      Object f =
          field("status", status, true, a.name, "Where the " + a.name + " is in its lifecycle.");
      // A new aggregate starts where the lifecycle says, not at whichever state is listed first.
      f.set("init", " = " + f.find("value_cpp")->as_string() + "::k" +
                        to_case(a.lifecycle->initial.value, Case::pascal));
      f.set("secret", false);
      fs.push_back(std::move(f));
    }
    Value id;
    for (const auto& f : fs)
      if (f.find("name")->as_string() == a.id.value) id = f;
    out.set("id", id);
    out.set("fields", std::move(fs));
    out.set("has_secrets", std::any_of(a.fields.begin(), a.fields.end(),
                                       [](const model::Field& f) { return f.secret; }));
    out.set("table", to_case(a.name, Case::snake));
    return out;
  }

  Value command(const model::Command& c) {
    Object out = names(c.name);
    describe(out, c.description);
    out.set("kind", model::spelling(c.kind));
    out.set("creates", c.kind == model::CommandKind::create);
    const model::Aggregate* a = context_.find_aggregate(c.aggregate.value);
    out.set("aggregate", names(a ? a->name : c.aggregate.value));
    out.set("fields", fields(c.input, c.name));
    List emits;
    for (const auto& e : c.emits) emits.push_back(e.value);
    out.set("emits", std::move(emits));
    out.set("examples", examples_view(context_, c));
    out.set("http", c.http ? Value(http(*c.http, c.input)) : Value());
    List roles;
    for (const auto& r : c.roles) roles.push_back(r.value);
    out.set("roles", std::move(roles));
    Value token;
    if (c.issues_token && a) {
      // The lifetime is the Settings member of the config value it names (whole seconds).
      const auto& lifetime = c.issues_token->lifetime;
      token = Object{{"subject", state_text(*a, c.issues_token->subject.value)},
                     {"role", state_text(*a, c.issues_token->role.value)},
                     {"lifetime", lifetime ? Value(names(lifetime->value)) : Value()}};
    }
    out.set("token", std::move(token));
    return out;
  }

  /// The C++ that spells aggregate field `name` of `state` as text, for a token's claims;
  /// the checks allow only required scalars there. `status` is the lifecycle's.
  std::string state_text(const model::Aggregate& a, const std::string& name) {
    const std::string member = "state." + to_case(name, Case::snake);
    const model::Field* f = nullptr;
    for (const auto& candidate : a.fields)
      if (candidate.name == name) f = &candidate;
    if (!f) return "std::string(to_string(" + member + "))";
    const Type& type = *f->type;
    const bool enum_type = type.kind == Type::Kind::inline_enum ||
                           (type.kind == Type::Kind::named && is_enum(type.name));
    if (enum_type) return "std::string(to_string(" + member + "))";
    if (type.kind == Type::Kind::primitive &&
        (type.primitive == model::Primitive::int32 || type.primitive == model::Primitive::int64))
      return "std::to_string(" + member + ")";
    return member;
  }

  /// A route: the router's method (`post`, `del`, ...), the path, its parameters (`integer`
  /// when the field is a number, so the segment is read as one) and whether it takes a body.
  static Object http(const model::HttpBinding& binding, const std::vector<model::Field>& input) {
    std::string method = binding.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const bool has_body = method != "get" && method != "delete";
    if (method == "delete") method = "del";
    List parameters;
    for (const auto& p : binding.parameters) {
      bool integer = false;
      for (const auto& f : input) {
        if (f.name == p.value && f.type->kind == Type::Kind::primitive)
          integer = f.type->primitive == model::Primitive::int32 ||
                    f.type->primitive == model::Primitive::int64;
      }
      parameters.push_back(Object{{"name", p.value}, {"integer", integer}});
    }
    return Object{{"method", method},
                  {"path", binding.path},
                  {"parameters", std::move(parameters)},
                  {"has_body", has_body}};
  }

  Value event(const model::Event& e) {
    Object out = names(e.name);
    describe(out, e.description);
    out.set("version", e.version);
    out.set("aggregate", e.aggregate.value);
    out.set("fields", fields(e.fields, e.name));
    return out;
  }

  Value view(const model::View& v) {
    Object out = names(v.name);
    describe(out, v.description);
    List fs = fields(v.fields, v.name);
    Value key;
    for (const auto& f : fs)
      if (f.find("name")->as_string() == v.key.value) key = f;
    out.set("key", key);
    out.set("fields", std::move(fs));
    out.set("table", to_case(v.name, Case::snake));
    return out;
  }

  /// The context's configuration values as members of its Settings, with the model's
  /// defaults as initialisers; a secret never has one in code.
  List settings() {
    List out;
    for (const auto* c : sorted_by_name(context_.config)) {
      Object f = field(c->name, *c->type, true, "Settings", c->description);
      f.set("secret", c->secret);
      f.set("config_kind", config_kind(*c->type, f.find("is_enum")->as_bool()));
      f.set("setting", context_.name + "." + c->name);
      if (c->default_value && !c->secret) {
        const bool is_enum = f.find("is_enum")->as_bool();
        const std::string enum_cpp = is_enum ? f.find("value_cpp")->as_string() : "";
        f.set("init", " = " + cpp_literal(*c->type, *c->default_value, enum_cpp));
      }
      out.push_back(std::move(f));
    }
    return out;
  }

  /// The config values tokens live (`issues_token.lifetime`), once each, with the commands
  /// whose tokens they set, for the start-up check that each is positive.
  List token_lifetimes() {
    std::map<std::string, std::vector<std::string>> commands;  // setting -> commands
    for (const auto* c : sorted_by_name(context_.commands)) {
      if (c->issues_token && c->issues_token->lifetime)
        commands[c->issues_token->lifetime->value].push_back(c->name);
    }
    List out;
    for (const auto& [name, by] : commands) {
      Object o = names(name);
      o.set("setting", context_.name + "." + name);
      o.set("commands", runtime::text::join(by, ", "));
      out.push_back(std::move(o));
    }
    return out;
  }

  /// The runtime's configuration type a value is read as (config::Schema's declarations).
  static std::string config_kind(const Type& type, bool is_enum) {
    const bool text =
        type.kind == Type::Kind::primitive && type.primitive != model::Primitive::int32 &&
        type.primitive != model::Primitive::int64 && type.primitive != model::Primitive::float64 &&
        type.primitive != model::Primitive::boolean;
    if (type.kind == Type::Kind::list && type.element &&
        type.element->kind == Type::Kind::primitive &&
        type.element->primitive == model::Primitive::string)
      return "strings";
    if (type.kind != Type::Kind::primitive || is_enum) {
      throw std::logic_error("configuration values of type " + type.spelling() +
                             " are not supported yet; use string, list<string> or a number");
    }
    if (text) return "string";
    if (type.primitive == model::Primitive::boolean) return "boolean";
    if (type.primitive == model::Primitive::float64) return "number";
    return "integer";
  }

  const model::Model& model_;
  const model::Context& context_;
  std::map<std::string, Value> enums_;  // by C++ name: sorted, and one enum per name
};

}  // namespace

Value context_view(const model::Model& model, const model::Context& context) {
  return ContextViewBuilder(model, context).build();
}

Value model_view(const model::Model& model, const std::string& source) {
  List contexts;
  for (const auto* c : sorted_by_name(model.contexts)) contexts.push_back(context_view(model, *c));
  Object out = names(model.name.value);
  out.set("version", model.version.value);
  describe(out, model.description);
  out.set("source", source);
  out.set("contexts", std::move(contexts));
  return out;
}

}  // namespace eskit::generate
