// From the YAML tree to the typed model. This stage owns the *shape* of the language:
// which keys exist where, what kind of value each takes, and the syntax of types,
// expressions, durations and HTTP bindings. Meaning (references, types of expressions,
// flows) is checked later, in the checks/ files.
#include <algorithm>
#include <charconv>

#include "eskit/model/load.hpp"
#include "yaml_tree.hpp"

namespace eskit::model {

namespace {

using yaml::Node;

// MAJOR.MINOR.PATCH, three runs of digits.
bool semantic_version(const std::string& v) {
  int dots = 0;
  bool digit = false;
  for (char ch : v) {
    if (ch == '.') {
      if (!digit) return false;
      ++dots;
      digit = false;
    } else if (std::isdigit(static_cast<unsigned char>(ch))) {
      digit = true;
    } else {
      return false;
    }
  }
  return dots == 2 && digit;
}

class Reader {
 public:
  explicit Reader(Diagnostics& diagnostics) : d_(diagnostics) {}

  std::unique_ptr<Model> model(const Node& root, std::shared_ptr<const SourceFile> file);

 private:
  // ---- shape helpers -------------------------------------------------------------------
  const char* kind_name(const Node& n) {
    switch (n.kind) {
      case Node::Kind::null:
        return "nothing";
      case Node::Kind::scalar:
        return "a value";
      case Node::Kind::sequence:
        return "a list";
      case Node::Kind::mapping:
        return "a mapping";
    }
    return "?";
  }

  bool mapping(const Node& n, std::string_view what) {
    if (n.is_mapping()) return true;
    d_.error(n.where, std::string(what) + " must be a mapping, found " + kind_name(n));
    return false;
  }

  bool sequence(const Node& n, std::string_view what) {
    if (n.is_sequence()) return true;
    d_.error(n.where, std::string(what) + " must be a list, found " + kind_name(n));
    return false;
  }

  bool scalar(const Node& n, std::string_view what) {
    if (n.is_scalar()) return true;
    d_.error(n.where, std::string(what) + " must be a single value, found " + kind_name(n));
    return false;
  }

  // Reports keys not in `allowed`, with a "did you mean" from the allowed ones.
  void only_keys(const Node& n, std::string_view what, const std::vector<std::string>& allowed) {
    for (const auto& [key, value] : n.entries) {
      if (std::find(allowed.begin(), allowed.end(), key->value) == allowed.end()) {
        d_.error(key->where, "unknown key '" + key->value + "' in " + std::string(what),
                 did_you_mean(key->value, allowed));
      }
    }
  }

  const Node* required(const Node& n, std::string_view key, std::string_view what) {
    const Node* v = n.get(key);
    if (!v) d_.error(n.where, std::string(what) + " has no '" + std::string(key) + "'");
    return v;
  }

  Text text(const Node& n, std::string_view what) {
    if (!scalar(n, what)) return Text{{}, n.where};
    return Text{n.value, n.where};
  }

  std::string plain(const Node* n, std::string_view what) {
    return n ? text(*n, what).value : std::string();
  }

  std::optional<long long> integer(const Node& n, std::string_view what, long long min,
                                   long long max) {
    if (!scalar(n, what)) return std::nullopt;
    long long v = 0;
    auto [end, ec] = std::from_chars(n.value.data(), n.value.data() + n.value.size(), v);
    if (ec != std::errc() || end != n.value.data() + n.value.size() || v < min || v > max) {
      d_.error(n.where, std::string(what) + " must be a whole number from " + std::to_string(min) +
                            " to " + std::to_string(max) + ", found '" + n.value + "'");
      return std::nullopt;
    }
    return v;
  }

  std::optional<double> percent(const Node& n, std::string_view what) {
    if (!scalar(n, what)) return std::nullopt;
    // `50` and `50%` both mean fifty percent.
    std::string number = n.value;
    if (!number.empty() && number.back() == '%') number.pop_back();
    try {
      std::size_t used = 0;
      double v = std::stod(number, &used);
      if (!number.empty() && used == number.size() && v >= 0 && v <= 100) return v;
    } catch (const std::exception&) {
    }
    d_.error(n.where,
             std::string(what) + " must be a percentage from 0 to 100, found '" + n.value + "'");
    return std::nullopt;
  }

  std::optional<bool> boolean(const Node& n, std::string_view what) {
    if (!scalar(n, what)) return std::nullopt;
    if (n.value == "true") return true;
    if (n.value == "false") return false;
    d_.error(n.where, std::string(what) + " must be true or false, found '" + n.value + "'");
    return std::nullopt;
  }

  template <typename Enum>
  std::optional<Enum> choice(const Node& n, std::string_view what,
                             const std::vector<std::pair<std::string, Enum>>& options) {
    if (!scalar(n, what)) return std::nullopt;
    std::vector<std::string> names;
    for (const auto& [name, value] : options) {
      if (name == n.value) return value;
      names.push_back(name);
    }
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i) {
      list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    }
    d_.error(n.where, std::string(what) + " must be " + list + ", found '" + n.value + "'",
             did_you_mean(n.value, names));
    return std::nullopt;
  }

  std::optional<long long> duration(const Node& n, std::string_view what) {
    if (!scalar(n, what)) return std::nullopt;
    auto ms = parse_duration_ms(n.value);
    if (!ms) {
      d_.error(n.where, std::string(what) +
                            " must be a duration such as 500ms, 5s, 2m or 1h, "
                            "found '" +
                            n.value + "'");
    }
    return ms;
  }

  // Column of the first byte of a scalar's text: quoted scalars start after the quote.
  Location text_start(const Node& n) { return n.quoted && !n.block ? n.where.shifted(1) : n.where; }

  TypePtr type(const Node& n, std::string_view what) {
    if (!scalar(n, what)) return nullptr;
    std::size_t column = 0;
    std::string message;
    auto t = parse_type(n.value, column, message);
    if (!t) {
      d_.error(text_start(n).shifted(static_cast<std::uint32_t>(column)),
               "invalid type '" + n.value + "': " + message);
      return nullptr;
    }
    return *t;
  }

  // YAML reads `true`, `12` and `null` as scalars like any other; an expression written as a
  // plain YAML scalar is parsed as is. A quoted YAML scalar is also an expression (so
  // "'REQUESTED'" is the string REQUESTED), which keeps one rule for every value position.
  Expression expression(const Node& n, std::string_view what) {
    Expression e;
    e.where = text_start(n);
    e.columns_exact = !n.block;
    if (!scalar(n, what)) return e;
    e.source = n.value;
    std::size_t column = 0;
    std::string message;
    auto tree = parse_expression(n.value, column, message);
    if (!tree) {
      d_.error(e.at(column), "invalid expression in " + std::string(what) + ": " + message);
    } else {
      e.tree = *tree;
    }
    return e;
  }

  Ref ref(const Node& n, std::string_view what) {
    Ref r;
    r.where = n.where;
    if (!scalar(n, what)) return r;
    auto dot = n.value.find('.');
    if (dot == std::string::npos) {
      r.name = n.value;
    } else {
      r.context = n.value.substr(0, dot);
      r.name = n.value.substr(dot + 1);
      if (r.context.empty() || r.name.empty() || r.name.find('.') != std::string::npos) {
        d_.error(n.where,
                 std::string(what) + " must be 'Name' or 'context.Name', found '" + n.value + "'");
      }
    }
    return r;
  }

  std::vector<Text> names(const Node& n, std::string_view what) {
    std::vector<Text> out;
    if (n.is_scalar()) {  // a single name is a list of one
      out.push_back(Text{n.value, n.where});
      return out;
    }
    if (!sequence(n, what)) return out;
    for (const auto& item : n.items) {
      if (item->is_null() && !item->where.file->line(item->where.line).empty()) {
        // `[YES, NO, NULL]`: YAML reads null, Null, NULL and ~ as nothing.
        d_.error(item->where,
                 "YAML reads this value as null, not as a name; quote it (\"NULL\") "
                 "or choose another name");
        continue;
      }
      out.push_back(text(*item, what));
    }
    return out;
  }

  std::vector<Ref> refs(const Node& n, std::string_view what) {
    std::vector<Ref> out;
    if (n.is_scalar()) {
      out.push_back(ref(n, what));
      return out;
    }
    if (!sequence(n, what)) return out;
    for (const auto& item : n.items) out.push_back(ref(*item, what));
    return out;
  }

  std::string description(const Node& n) {
    const Node* v = n.get("description");
    return v ? text(*v, "description").value : std::string();
  }

  Value value(const Node& n) {
    Value v;
    v.where = n.where;
    switch (n.kind) {
      case Node::Kind::null:
        v.kind = Value::Kind::null;
        break;
      case Node::Kind::scalar:
        v.kind = Value::Kind::scalar;
        v.scalar = n.value;
        v.quoted = n.quoted;
        break;
      case Node::Kind::sequence:
        v.kind = Value::Kind::list;
        for (const auto& item : n.items) v.items.push_back(value(*item));
        break;
      case Node::Kind::mapping:
        v.kind = Value::Kind::map;
        for (const auto& [key, item] : n.entries) {
          v.entries.push_back(ValueEntry{Text{key->value, key->where}, value(*item)});
        }
        break;
    }
    return v;
  }

  std::vector<std::pair<Text, Value>> values(const Node& n, std::string_view what) {
    std::vector<std::pair<Text, Value>> out;
    if (n.is_null()) return out;
    if (!mapping(n, what)) return out;
    for (const auto& [key, item] : n.entries)
      out.emplace_back(Text{key->value, key->where}, value(*item));
    return out;
  }

  std::vector<Assignment> assignments(const Node& n, std::string_view what) {
    std::vector<Assignment> out;
    if (n.is_null() || !mapping(n, what)) return out;
    for (const auto& [key, item] : n.entries) {
      out.push_back(Assignment{Text{key->value, key->where}, expression(*item, what)});
    }
    return out;
  }

  // Calls `each(name, where, node)` for every entry of a `name: {...}` map.
  template <typename Each>
  void entries(const Node* n, std::string_view what, Each each) {
    if (!n || n->is_null() || !mapping(*n, what)) return;
    for (const auto& [key, value] : n->entries) each(key->value, key->where, *value);
  }

  // ---- the language --------------------------------------------------------------------
  std::vector<Field> fields(const Node* n, std::string_view what, bool event_fields,
                            bool aggregate_fields = false);
  std::optional<HttpBinding> http(const Node& n);
  Participant participant(const std::string& name, Location where, const Node& n);
  Context context(const std::string& name, Location where, const Node& n);
  ValueType value_type(const std::string& name, Location where, const Node& n);
  Aggregate aggregate(const std::string& name, Location where, const Node& n);
  Lifecycle lifecycle(const Node& n);
  Command command(const std::string& name, Location where, const Node& n);
  Example example(const Node& n);
  std::vector<EventInstance> event_instances(const Node& n, std::string_view what);
  Event event(const std::string& name, Location where, const Node& n);
  Policy policy(const std::string& name, Location where, const Node& n);
  SyncCall call(const std::string& name, Location where, const Node& n);
  View view(const std::string& name, Location where, const Node& n);
  Projection projection(const Node& n);
  Query query(const std::string& name, Location where, const Node& n);
  ConfigValue config(const std::string& name, Location where, const Node& n);
  Saga saga(const std::string& name, Location where, const Node& n);
  SagaStep saga_step(const Node& n);

  Diagnostics& d_;
};

std::vector<Field> Reader::fields(const Node* n, std::string_view what, bool event_fields,
                                  bool aggregate_fields) {
  std::vector<Field> out;
  entries(n, what, [&](const std::string& name, Location where, const Node& spec) {
    Field f;
    f.name = name;
    f.where = where;
    if (spec.is_scalar()) {
      f.type = type(spec, "a field type");
      f.type_where = spec.where;
    } else if (!spec.is_mapping()) {
      d_.error(spec.where, "field '" + name +
                               "' must be a type such as 'string', or a mapping "
                               "such as '{ type: string, required: false }'; found " +
                               kind_name(spec));
    } else {
      std::vector<std::string> allowed = {"type", "required", "description", "default"};
      allowed.push_back(event_fields ? "correlation" : "unique");
      // Only what an aggregate stores can be kept from its answers.
      if (aggregate_fields) allowed.push_back("secret");
      only_keys(spec, "field '" + name + "'", allowed);
      if (const Node* t = required(spec, "type", "field '" + name + "'")) {
        f.type = type(*t, "a field type");
        f.type_where = t->where;
      }
      if (const Node* r = spec.get("required")) f.required = boolean(*r, "required").value_or(true);
      if (const Node* u = spec.get("unique")) f.unique = boolean(*u, "unique").value_or(false);
      if (const Node* x = spec.get("secret")) f.secret = boolean(*x, "secret").value_or(false);
      if (const Node* c = spec.get("correlation")) {
        f.correlation = boolean(*c, "correlation").value_or(false);
      }
      if (const Node* v = spec.get("default")) f.default_value = value(*v);
      f.description = description(spec);
    }
    if (f.type && f.type->optional) f.required = false;
    out.push_back(std::move(f));
  });
  return out;
}

std::optional<HttpBinding> Reader::http(const Node& n) {
  if (!scalar(n, "http")) return std::nullopt;
  HttpBinding b;
  b.where = n.where;
  const std::string& s = n.value;
  auto space = s.find(' ');
  static const std::vector<std::string> methods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  std::string method = s.substr(0, space);
  if (std::find(methods.begin(), methods.end(), method) == methods.end()) {
    d_.error(n.where,
             "http must be 'METHOD /path' with METHOD one of GET, POST, PUT, PATCH, "
             "DELETE; found '" +
                 s + "'",
             did_you_mean(method, methods));
    return std::nullopt;
  }
  std::size_t path_start = space == std::string::npos ? s.size() : s.find_first_not_of(' ', space);
  if (path_start == std::string::npos || path_start >= s.size()) {
    d_.error(n.where, "http needs a path after " + method + ", such as '" + method + " /orders'");
    return std::nullopt;
  }
  if (s[path_start] != '/') {
    d_.error(text_start(n).shifted(static_cast<std::uint32_t>(std::min(path_start, s.size()))),
             "http path must start with '/'");
    return std::nullopt;
  }
  b.method = method;
  b.path = s.substr(path_start);
  // Path segments are literal words or `{parameter}`.
  for (std::size_t i = 0; i < b.path.size(); ++i) {
    char c = b.path[i];
    Location at = text_start(n).shifted(static_cast<std::uint32_t>(path_start + i));
    if (c == '{') {
      auto close = b.path.find('}', i);
      if (close == std::string::npos) {
        d_.error(at, "unclosed '{' in http path");
        return std::nullopt;
      }
      b.parameters.push_back(Text{b.path.substr(i + 1, close - i - 1), at.shifted(1)});
      i = close;
    } else if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' || c == '_' ||
                 c == '.')) {
      d_.error(at, std::string("character '") + c + "' is not allowed in an http path");
      return std::nullopt;
    }
  }
  return b;
}

Participant Reader::participant(const std::string& name, Location where, const Node& n) {
  Participant p{name, where, {}};
  if (n.is_scalar() || n.is_null()) {
    p.description = n.value;
  } else if (mapping(n, "'" + name + "'")) {
    only_keys(n, "'" + name + "'", {"description"});
    p.description = description(n);
  }
  return p;
}

ValueType Reader::value_type(const std::string& name, Location where, const Node& n) {
  ValueType t;
  t.name = name;
  t.where = where;
  std::string what = "type '" + name + "'";
  if (!mapping(n, what)) return t;
  only_keys(n, what, {"description", "fields", "enum"});
  t.description = description(n);
  const Node* e = n.get("enum");
  const Node* f = n.get("fields");
  if (e && f) {
    d_.error(where, what + " has both 'enum' and 'fields'; a type is an enum or a value object");
  } else if (!e && !f) {
    d_.error(where, what + " needs 'fields' (a value object) or 'enum' (a list of values)");
  }
  if (e) {
    t.is_enum = true;
    t.enum_values = names(*e, "enum");
  }
  if (f) t.fields = fields(f, what, false);
  return t;
}

Lifecycle Reader::lifecycle(const Node& n) {
  Lifecycle l;
  l.where = n.where;
  if (!mapping(n, "lifecycle")) return l;
  only_keys(n, "lifecycle", {"initial", "states", "transitions"});
  if (const Node* i = required(n, "initial", "lifecycle")) l.initial = text(*i, "initial");
  if (const Node* s = n.get("states")) {
    l.states = names(*s, "states");
    l.states_declared = true;
  }
  if (const Node* ts = required(n, "transitions", "lifecycle");
      ts && sequence(*ts, "transitions")) {
    for (const auto& item : ts->items) {
      if (!mapping(*item, "a transition")) continue;
      only_keys(*item, "a transition", {"from", "to", "by"});
      Transition t;
      t.where = item->where;
      if (const Node* f = required(*item, "from", "the transition")) t.from = names(*f, "from");
      if (const Node* to = required(*item, "to", "the transition")) t.to = text(*to, "to");
      if (const Node* by = required(*item, "by", "the transition")) t.by = text(*by, "by");
      l.transitions.push_back(std::move(t));
    }
  }
  if (!l.states_declared) {
    // The states are those the lifecycle names, in order of first mention.
    auto add = [&](const Text& s) {
      if (s.value.empty()) return;
      for (const auto& x : l.states) {
        if (x.value == s.value) return;
      }
      l.states.push_back(s);
    };
    add(l.initial);
    for (const auto& t : l.transitions) {
      for (const auto& f : t.from) add(f);
      add(t.to);
    }
  }
  return l;
}

Aggregate Reader::aggregate(const std::string& name, Location where, const Node& n) {
  Aggregate a;
  a.name = name;
  a.where = where;
  std::string what = "aggregate '" + name + "'";
  if (!mapping(n, what)) return a;
  only_keys(n, what, {"description", "id", "fields", "lifecycle"});
  a.description = description(n);
  if (const Node* id = required(n, "id", what)) a.id = text(*id, "id");
  if (const Node* f = required(n, "fields", what)) a.fields = fields(f, what, false, true);
  if (const Node* l = n.get("lifecycle")) a.lifecycle = lifecycle(*l);
  return a;
}

std::vector<EventInstance> Reader::event_instances(const Node& n, std::string_view what) {
  std::vector<EventInstance> out;
  if (n.is_null() || !sequence(n, what)) return out;
  for (const auto& item : n.items) {
    // Each item is `EventName: { field: value }` (or just `EventName`).
    EventInstance e;
    if (item->is_scalar()) {
      e.event = ref(*item, what);
    } else if (item->is_mapping() && item->entries.size() == 1) {
      const auto& [key, fields] = item->entries.front();
      e.event = ref(*key, what);
      e.fields = values(*fields, "event fields");
    } else {
      d_.error(item->where, std::string(what) + " lists events as 'EventName: { field: value }'");
      continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

Example Reader::example(const Node& n) {
  Example e;
  e.where = n.where;
  if (!mapping(n, "an example")) return e;
  only_keys(n, "an example", {"name", "given", "when", "then", "rejects"});
  if (const Node* name = required(n, "name", "the example")) e.name = text(*name, "name");
  if (const Node* g = n.get("given")) e.given = event_instances(*g, "given");
  if (const Node* w = n.get("when")) e.when = values(*w, "when");
  const Node* then = n.get("then");
  const Node* rejects = n.get("rejects");
  if (then && rejects) {
    d_.error(rejects->where,
             "an example has 'then' (the events expected) or 'rejects' (the "
             "error expected), not both");
  } else if (!then && !rejects) {
    d_.error(n.where, "the example has neither 'then' nor 'rejects'");
  }
  if (then) e.then = event_instances(*then, "then");
  if (rejects) e.rejects = text(*rejects, "rejects");
  return e;
}

Command Reader::command(const std::string& name, Location where, const Node& n) {
  Command c;
  c.name = name;
  c.where = where;
  std::string what = "command '" + name + "'";
  if (!mapping(n, what)) return c;
  only_keys(n, what,
            {"description", "aggregate", "kind", "actor", "http", "input", "find_by",
             "preconditions", "roles", "set", "emits", "issues_token", "examples"});
  c.description = description(n);
  if (const Node* a = required(n, "aggregate", what)) c.aggregate = text(*a, "aggregate");
  if (const Node* k = required(n, "kind", what)) {
    c.kind_where = k->where;
    c.kind = choice<CommandKind>(*k, "kind",
                                 {{"create", CommandKind::create},
                                  {"change", CommandKind::change},
                                  {"delete", CommandKind::remove},
                                  {"query", CommandKind::query}})
                 .value_or(CommandKind::change);
  }
  if (const Node* a = n.get("actor")) c.actor = text(*a, "actor");
  if (const Node* h = n.get("http")) c.http = http(*h);
  c.input = fields(n.get("input"), "input", false);
  if (const Node* f = n.get("find_by")) c.find_by = text(*f, "find_by");
  if (const Node* ps = n.get("preconditions"); ps && sequence(*ps, "preconditions")) {
    for (const auto& p : ps->items) {
      Precondition pre;
      if (p->is_mapping()) {
        only_keys(*p, "a precondition", {"check", "message"});
        if (const Node* check = required(*p, "check", "the precondition")) {
          pre.check = expression(*check, "precondition");
        }
        pre.message = plain(p->get("message"), "message");
      } else {
        pre.check = expression(*p, "precondition");
      }
      c.preconditions.push_back(std::move(pre));
    }
  }
  if (const Node* r = n.get("roles")) c.roles = names(*r, "roles");
  if (const Node* s = n.get("set")) c.set = assignments(*s, "set");
  if (const Node* e = n.get("emits")) c.emits = names(*e, "emits");
  if (const Node* t = n.get("issues_token"); t && mapping(*t, "issues_token")) {
    only_keys(*t, "issues_token", {"subject", "role", "lifetime"});
    TokenIssue issue;
    issue.where = t->where;
    if (const Node* s = required(*t, "subject", "issues_token"))
      issue.subject = text(*s, "subject");
    if (const Node* r = required(*t, "role", "issues_token")) issue.role = text(*r, "role");
    if (const Node* l = t->get("lifetime")) issue.lifetime = text(*l, "lifetime");
    c.issues_token = std::move(issue);
  }
  if (const Node* xs = n.get("examples"); xs && sequence(*xs, "examples")) {
    for (const auto& x : xs->items) c.examples.push_back(example(*x));
  }
  return c;
}

Event Reader::event(const std::string& name, Location where, const Node& n) {
  Event e;
  e.name = name;
  e.where = where;
  std::string what = "event '" + name + "'";
  if (!mapping(n, what)) return e;
  only_keys(n, what, {"description", "aggregate", "version", "fields"});
  e.description = description(n);
  if (const Node* a = required(n, "aggregate", what)) e.aggregate = text(*a, "aggregate");
  if (const Node* v = n.get("version")) {
    e.version = static_cast<int>(integer(*v, "version", 1, 1'000'000).value_or(1));
  }
  if (const Node* f = required(n, "fields", what)) e.fields = fields(f, what, true);
  return e;
}

Policy Reader::policy(const std::string& name, Location where, const Node& n) {
  Policy p;
  p.name = name;
  p.where = where;
  std::string what = "policy '" + name + "'";
  if (!mapping(n, what)) return p;
  only_keys(n, what, {"description", "when", "if", "then", "correlate", "map", "on_failure"});
  p.description = description(n);
  if (const Node* w = required(n, "when", what)) p.when = ref(*w, "when");
  if (const Node* i = n.get("if")) p.condition = expression(*i, "if");
  if (const Node* t = required(n, "then", what)) p.then = text(*t, "then");
  if (const Node* c = n.get("correlate")) p.correlate = assignments(*c, "correlate");
  if (const Node* m = n.get("map")) p.map = assignments(*m, "map");
  p.on_failure.where = where;
  if (const Node* f = n.get("on_failure"); f && mapping(*f, "on_failure")) {
    only_keys(*f, "on_failure", {"retries", "backoff", "then"});
    p.on_failure.where = f->where;
    if (const Node* r = f->get("retries")) {
      p.on_failure.retries = static_cast<int>(integer(*r, "retries", 0, 100).value_or(3));
    }
    if (const Node* b = f->get("backoff"))
      p.on_failure.backoff_ms = duration(*b, "backoff").value_or(1000);
    if (const Node* t = f->get("then")) {
      p.on_failure.dead_letter =
          choice<bool>(*t, "then", {{"dead-letter", true}, {"discard", false}}).value_or(true);
    }
  }
  return p;
}

SyncCall Reader::call(const std::string& name, Location where, const Node& n) {
  SyncCall c;
  c.name = name;
  c.where = where;
  std::string what = "call '" + name + "'";
  if (!mapping(n, what)) return c;
  only_keys(
      n, what,
      {"description", "from", "to", "map", "timeout", "retry", "breaker", "fallback", "not_found"});
  c.description = description(n);
  if (const Node* f = required(n, "from", what)) c.from = text(*f, "from");
  if (const Node* t = required(n, "to", what)) c.to = ref(*t, "to");
  if (const Node* m = n.get("map")) c.map = assignments(*m, "map");
  if (const Node* t = n.get("timeout")) c.timeout_ms = duration(*t, "timeout");
  if (const Node* r = n.get("retry"); r && mapping(*r, "retry")) {
    only_keys(*r, "retry", {"attempts", "backoff", "max_backoff"});
    c.retry.where = r->where;
    if (const Node* a = r->get("attempts"))
      c.retry.attempts = static_cast<int>(integer(*a, "attempts", 1, 20).value_or(1));
    if (const Node* b = r->get("backoff"))
      c.retry.backoff_ms = duration(*b, "backoff").value_or(100);
    if (const Node* m = r->get("max_backoff"))
      c.retry.max_backoff_ms = duration(*m, "max_backoff").value_or(2000);
  }
  if (const Node* b = n.get("breaker"); b && mapping(*b, "breaker")) {
    only_keys(*b, "breaker",
              {"window", "window_kind", "min_calls", "failure_rate", "slow_call_rate", "slow_call",
               "wait", "half_open_calls", "max_failures"});
    BreakerSettings& s = c.breaker;
    s.enabled = true;
    s.where = b->where;
    if (const Node* v = b->get("window"))
      s.window = static_cast<int>(integer(*v, "window", 1, 100'000).value_or(s.window));
    if (const Node* v = b->get("window_kind")) {
      s.time_window =
          choice<bool>(*v, "window_kind", {{"count", false}, {"time", true}}).value_or(false);
    }
    if (const Node* v = b->get("min_calls"))
      s.min_calls = static_cast<int>(integer(*v, "min_calls", 1, 100'000).value_or(s.min_calls));
    if (const Node* v = b->get("failure_rate"))
      s.failure_rate = percent(*v, "failure_rate").value_or(s.failure_rate);
    if (const Node* v = b->get("slow_call_rate"))
      s.slow_call_rate = percent(*v, "slow_call_rate").value_or(s.slow_call_rate);
    if (const Node* v = b->get("slow_call")) s.slow_call_ms = duration(*v, "slow_call").value_or(0);
    if (const Node* v = b->get("wait")) s.wait_ms = duration(*v, "wait").value_or(s.wait_ms);
    if (const Node* v = b->get("half_open_calls"))
      s.half_open_calls =
          static_cast<int>(integer(*v, "half_open_calls", 1, 1000).value_or(s.half_open_calls));
    if (const Node* v = b->get("max_failures"))
      s.max_failures = static_cast<int>(integer(*v, "max_failures", 1, 100'000).value_or(1));
  }
  if (const Node* f = n.get("fallback"); f && mapping(*f, "fallback")) {
    only_keys(*f, "fallback", {"kind", "message", "value"});
    c.fallback.where = f->where;
    if (const Node* k = required(*f, "kind", "fallback")) {
      c.fallback.kind = choice<FallbackKind>(*k, "kind",
                                             {{"reject", FallbackKind::reject},
                                              {"fixed", FallbackKind::fixed},
                                              {"cached", FallbackKind::cached}})
                            .value_or(FallbackKind::reject);
    }
    c.fallback.message = plain(f->get("message"), "message");
    if (const Node* v = f->get("value")) c.fallback.value = value(*v);
    if (c.fallback.kind == FallbackKind::fixed && !f->get("value")) {
      d_.error(f->where, "a 'fixed' fallback needs the 'value' it answers with");
    }
    if (c.fallback.kind != FallbackKind::fixed && f->get("value")) {
      d_.error(f->get("value")->where, "'value' is only used by a 'fixed' fallback");
    }
  }
  c.not_found_where = where;
  if (const Node* nf = n.get("not_found")) {
    c.not_found_where = nf->where;
    c.not_found = choice<NotFound>(*nf, "not_found",
                                   {{"reject", NotFound::reject}, {"proceed", NotFound::proceed}})
                      .value_or(NotFound::reject);
  }
  return c;
}

Projection Reader::projection(const Node& n) {
  Projection p;
  p.where = n.where;
  if (!mapping(n, "a projection")) return p;
  only_keys(n, "a projection",
            {"on", "do", "where", "if", "set", "increment", "decrement", "append"});
  if (const Node* on = required(n, "on", "the projection")) p.on = ref(*on, "on");
  if (const Node* op = required(n, "do", "the projection")) {
    p.op_where = op->where;
    p.op = choice<ProjectionOp>(*op, "do",
                                {{"create", ProjectionOp::create},
                                 {"upsert", ProjectionOp::upsert},
                                 {"update", ProjectionOp::update},
                                 {"delete", ProjectionOp::remove}})
               .value_or(ProjectionOp::update);
  }
  if (const Node* w = n.get("where")) p.match = assignments(*w, "where");
  if (const Node* s = n.get("set")) p.set = assignments(*s, "set");
  if (const Node* i = n.get("increment")) p.increment = names(*i, "increment");
  if (const Node* d = n.get("decrement")) p.decrement = names(*d, "decrement");
  if (const Node* a = n.get("append")) p.append = assignments(*a, "append");
  if (const Node* i = n.get("if")) p.condition = expression(*i, "if");
  return p;
}

Query Reader::query(const std::string& name, Location where, const Node& n) {
  Query q;
  q.name = name;
  q.where = where;
  std::string what = "query '" + name + "'";
  if (!mapping(n, what)) return q;
  only_keys(n, what, {"description", "http", "filter", "roles"});
  q.description = description(n);
  if (const Node* h = required(n, "http", what)) q.http = http(*h);
  if (const Node* f = n.get("filter")) q.filter = names(*f, "filter");
  if (const Node* r = n.get("roles")) q.roles = names(*r, "roles");
  return q;
}

View Reader::view(const std::string& name, Location where, const Node& n) {
  View v;
  v.name = name;
  v.where = where;
  std::string what = "view '" + name + "'";
  if (!mapping(n, what)) return v;
  only_keys(n, what, {"description", "key", "fields", "projections", "queries"});
  v.description = description(n);
  if (const Node* k = required(n, "key", what)) v.key = text(*k, "key");
  if (const Node* f = required(n, "fields", what)) v.fields = fields(f, what, false);
  if (const Node* ps = required(n, "projections", what); ps && sequence(*ps, "projections")) {
    for (const auto& p : ps->items) v.projections.push_back(projection(*p));
  }
  entries(n.get("queries"), "queries", [&](const std::string& qn, Location qw, const Node& q) {
    v.queries.push_back(query(qn, qw, q));
  });
  return v;
}

ConfigValue Reader::config(const std::string& name, Location where, const Node& n) {
  ConfigValue c;
  c.name = name;
  c.where = where;
  std::string what = "config value '" + name + "'";
  if (!mapping(n, what)) return c;
  only_keys(n, what, {"type", "default", "description", "secret"});
  c.description = description(n);
  if (const Node* t = required(n, "type", what)) {
    c.type = type(*t, "a config type");
    c.type_where = t->where;
  }
  if (const Node* d = n.get("default")) c.default_value = value(*d);
  if (const Node* s = n.get("secret")) c.secret = boolean(*s, "secret").value_or(false);
  if (c.secret && c.default_value) {
    d_.error(n.get("default")->where,
             "a secret config value must not have a default in the "
             "model; secrets come from the environment");
  }
  return c;
}

Context Reader::context(const std::string& name, Location where, const Node& n) {
  Context c;
  c.name = name;
  c.where = where;
  std::string what = "context '" + name + "'";
  if (!mapping(n, what)) return c;
  only_keys(n, what,
            {"description", "kind", "team", "storage", "config", "volumes", "types", "aggregates",
             "commands", "events", "policies", "calls", "views"});
  c.description = description(n);
  if (const Node* k = required(n, "kind", what)) {
    c.kind = choice<DomainKind>(*k, "kind",
                                {{"core", DomainKind::core},
                                 {"supporting", DomainKind::supporting},
                                 {"generic", DomainKind::generic}})
                 .value_or(DomainKind::core);
  }
  c.team = plain(n.get("team"), "team");
  if (const Node* s = n.get("storage")) {
    c.storage = choice<Storage>(*s, "storage",
                                {{"sqlite", Storage::sqlite}, {"postgresql", Storage::postgresql}})
                    .value_or(Storage::sqlite);
  }
  entries(n.get("config"), "config", [&](const std::string& k, Location w, const Node& v) {
    c.config.push_back(config(k, w, v));
  });
  entries(n.get("volumes"), "volumes", [&](const std::string& k, Location w, const Node& v) {
    Volume vol{k, w, {}, {}};
    if (mapping(v, "volume '" + k + "'")) {
      only_keys(v, "volume '" + k + "'", {"path", "size"});
      if (const Node* p = required(v, "path", "volume '" + k + "'")) vol.path = text(*p, "path");
      if (const Node* s = required(v, "size", "volume '" + k + "'")) vol.size = text(*s, "size");
    }
    c.volumes.push_back(std::move(vol));
  });
  entries(n.get("types"), "types", [&](const std::string& k, Location w, const Node& v) {
    c.types.push_back(value_type(k, w, v));
  });
  entries(n.get("aggregates"), "aggregates", [&](const std::string& k, Location w, const Node& v) {
    c.aggregates.push_back(aggregate(k, w, v));
  });
  entries(n.get("commands"), "commands", [&](const std::string& k, Location w, const Node& v) {
    c.commands.push_back(command(k, w, v));
  });
  entries(n.get("events"), "events", [&](const std::string& k, Location w, const Node& v) {
    c.events.push_back(event(k, w, v));
  });
  entries(n.get("policies"), "policies", [&](const std::string& k, Location w, const Node& v) {
    c.policies.push_back(policy(k, w, v));
  });
  entries(n.get("calls"), "calls", [&](const std::string& k, Location w, const Node& v) {
    c.calls.push_back(call(k, w, v));
  });
  entries(n.get("views"), "views", [&](const std::string& k, Location w, const Node& v) {
    c.views.push_back(view(k, w, v));
  });
  return c;
}

SagaStep Reader::saga_step(const Node& n) {
  SagaStep s;
  s.where = n.where;
  if (!mapping(n, "a saga step")) return s;
  only_keys(n, "a saga step",
            {"name", "command", "completes_on", "fails_on", "compensation", "pivot", "retriable",
             "timeout"});
  if (const Node* name = required(n, "name", "the saga step")) s.name = text(*name, "name");
  if (const Node* c = required(n, "command", "the saga step")) s.command = ref(*c, "command");
  if (const Node* c = n.get("completes_on")) s.completes_on = ref(*c, "completes_on");
  if (const Node* f = n.get("fails_on")) s.fails_on = refs(*f, "fails_on");
  if (const Node* c = n.get("compensation")) s.compensation = ref(*c, "compensation");
  if (const Node* p = n.get("pivot")) s.pivot = boolean(*p, "pivot").value_or(false);
  if (const Node* r = n.get("retriable")) s.retriable = boolean(*r, "retriable").value_or(false);
  if (const Node* t = n.get("timeout")) s.timeout_ms = duration(*t, "timeout");
  return s;
}

Saga Reader::saga(const std::string& name, Location where, const Node& n) {
  Saga s;
  s.name = name;
  s.where = where;
  std::string what = "saga '" + name + "'";
  if (!mapping(n, what)) return s;
  only_keys(n, what, {"description", "style", "orchestrator", "correlation", "steps"});
  s.description = description(n);
  if (const Node* st = required(n, "style", what)) {
    s.style = choice<SagaStyle>(*st, "style",
                                {{"choreography", SagaStyle::choreography},
                                 {"orchestration", SagaStyle::orchestration}})
                  .value_or(SagaStyle::choreography);
  }
  if (const Node* o = n.get("orchestrator")) s.orchestrator = text(*o, "orchestrator");
  if (const Node* c = required(n, "correlation", what)) s.correlation = text(*c, "correlation");
  if (const Node* steps = required(n, "steps", what); steps && sequence(*steps, "steps")) {
    for (const auto& step : steps->items) s.steps.push_back(saga_step(*step));
  }
  return s;
}

std::unique_ptr<Model> Reader::model(const Node& root, std::shared_ptr<const SourceFile> file) {
  auto m = std::make_unique<Model>();
  m->file = file;
  if (!mapping(root, "a model")) return nullptr;
  only_keys(root, "the model",
            {"model", "version", "description", "actors", "externals", "roles", "contexts", "sagas",
             "gateway"});
  if (const Node* n = required(root, "model", "the model")) m->name = text(*n, "model");
  if (const Node* v = required(root, "version", "the model")) {
    m->version = text(*v, "version");
    if (!m->version.value.empty() && !semantic_version(m->version.value)) {
      d_.error(v->where,
               "version '" + m->version.value + "' must be MAJOR.MINOR.PATCH, such as 1.0.0");
    }
  }
  m->description = description(root);
  entries(root.get("actors"), "actors", [&](const std::string& k, Location w, const Node& v) {
    m->actors.push_back(participant(k, w, v));
  });
  entries(root.get("externals"), "externals", [&](const std::string& k, Location w, const Node& v) {
    m->externals.push_back(participant(k, w, v));
  });
  if (const Node* r = root.get("roles")) m->roles = names(*r, "roles");
  const Node* contexts = root.get("contexts");
  if (!contexts || contexts->is_null() || (contexts->is_mapping() && contexts->entries.empty())) {
    d_.error(contexts ? contexts->where : root.where, "the model has no contexts");
  }
  entries(contexts, "contexts", [&](const std::string& k, Location w, const Node& v) {
    m->contexts.push_back(context(k, w, v));
  });
  entries(root.get("sagas"), "sagas", [&](const std::string& k, Location w, const Node& v) {
    m->sagas.push_back(saga(k, w, v));
  });
  if (const Node* g = root.get("gateway"); g && mapping(*g, "gateway")) {
    only_keys(*g, "gateway", {"routes"});
    entries(g->get("routes"), "routes", [&](const std::string& k, Location w, const Node& v) {
      m->gateway_routes.push_back(GatewayRoute{Text{k, w}, text(v, "a route's context")});
    });
  }
  return m;
}

}  // namespace

std::unique_ptr<Model> parse_model(std::shared_ptr<const SourceFile> source,
                                   Diagnostics& diagnostics) {
  // Binary input: yaml-cpp would report something obscure, or nothing useful.
  const std::string& text = source->text();
  if (auto nul = text.find('\0'); nul != std::string::npos) {
    std::uint32_t line =
        1 + static_cast<std::uint32_t>(
                std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n'));
    auto line_start = text.rfind('\n', nul);
    std::uint32_t column =
        static_cast<std::uint32_t>(nul - (line_start == std::string::npos ? 0 : line_start + 1)) +
        1;
    diagnostics.error(Location{source, line, column},
                      "this is not a text file (it contains a NUL byte); a model is YAML text");
    return nullptr;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    diagnostics.error(Location{source, 1, 1}, "the model file is empty");
    return nullptr;
  }
  std::size_t errors_before = diagnostics.error_count();
  yaml::NodePtr root = yaml::parse(source, diagnostics);
  if (!root && diagnostics.error_count() > errors_before) return nullptr;
  if (!root || root->is_null()) {  // only comments, or an empty document
    diagnostics.error(Location{source, 1, 1}, "the model file is empty");
    return nullptr;
  }
  Reader reader(diagnostics);
  return reader.model(*root, source);
}

}  // namespace eskit::model
