// Names: every name in the model becomes an identifier in C++, SQL, JavaScript (OpenAPI
// clients), file names and Kubernetes objects, so it must be valid in all of them.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_set>

#include "checker.hpp"

namespace eskit::model::checks {

namespace {

// C++20 keywords and alternative tokens, JavaScript reserved words, the SQL words that
// PostgreSQL and SQLite reserve, and the expression language's own words. Compared in lower
// case against a name and its snake_case form.
const std::unordered_set<std::string>& reserved_words() {
  static const std::unordered_set<std::string> words = {
      // C++
      "alignas",
      "alignof",
      "and",
      "and_eq",
      "asm",
      "auto",
      "bitand",
      "bitor",
      "bool",
      "break",
      "case",
      "catch",
      "char",
      "char8_t",
      "char16_t",
      "char32_t",
      "class",
      "compl",
      "concept",
      "const",
      "consteval",
      "constexpr",
      "constinit",
      "const_cast",
      "continue",
      "co_await",
      "co_return",
      "co_yield",
      "decltype",
      "default",
      "delete",
      "do",
      "double",
      "dynamic_cast",
      "else",
      "enum",
      "explicit",
      "export",
      "extern",
      "false",
      "float",
      "for",
      "friend",
      "goto",
      "if",
      "inline",
      "int",
      "long",
      "mutable",
      "namespace",
      "new",
      "noexcept",
      "not",
      "not_eq",
      "nullptr",
      "operator",
      "or",
      "or_eq",
      "private",
      "protected",
      "public",
      "register",
      "reinterpret_cast",
      "requires",
      "return",
      "short",
      "signed",
      "sizeof",
      "static",
      "static_assert",
      "static_cast",
      "struct",
      "switch",
      "template",
      "this",
      "thread_local",
      "throw",
      "true",
      "try",
      "typedef",
      "typeid",
      "typename",
      "union",
      "unsigned",
      "using",
      "virtual",
      "void",
      "volatile",
      "wchar_t",
      "while",
      "xor",
      "xor_eq",
      // JavaScript
      "arguments",
      "await",
      "debugger",
      "eval",
      "extends",
      "finally",
      "function",
      "implements",
      "import",
      "in",
      "instanceof",
      "interface",
      "let",
      "null",
      "package",
      "super",
      "typeof",
      "var",
      "with",
      "yield",
      // SQL (PostgreSQL reserved, SQLite keywords that break unquoted use)
      "all",
      "analyse",
      "analyze",
      "any",
      "array",
      "as",
      "asc",
      "asymmetric",
      "both",
      "cast",
      "check",
      "collate",
      "column",
      "constraint",
      "create",
      "current_catalog",
      "current_date",
      "current_role",
      "current_time",
      "current_timestamp",
      "current_user",
      "deferrable",
      "desc",
      "distinct",
      "end",
      "except",
      "fetch",
      "foreign",
      "from",
      "grant",
      "group",
      "having",
      "initially",
      "intersect",
      "into",
      "lateral",
      "leading",
      "limit",
      "localtime",
      "localtimestamp",
      "offset",
      "on",
      "only",
      "order",
      "placing",
      "primary",
      "references",
      "returning",
      "select",
      "session_user",
      "some",
      "symmetric",
      "table",
      "then",
      "to",
      "trailing",
      "unique",
      "user",
      "variadic",
      "when",
      "where",
      "window",
      "index",
      "key",
      "values",
      "primary",
      "transaction",
  };
  return words;
}

// The C++ and JavaScript part of the reserved words.
const std::unordered_set<std::string>& code_words() {
  static const std::unordered_set<std::string> words = [] {
    std::unordered_set<std::string> out;
    for (const auto& w : reserved_words()) out.insert(w);
    for (const char* sql : {"all",          "analyse",      "analyze",      "any",
                            "array",        "as",           "asc",          "asymmetric",
                            "both",         "cast",         "check",        "collate",
                            "column",       "constraint",   "create",       "current_catalog",
                            "current_date", "current_role", "current_time", "current_timestamp",
                            "current_user", "deferrable",   "desc",         "distinct",
                            "end",          "except",       "fetch",        "foreign",
                            "from",         "grant",        "group",        "having",
                            "initially",    "intersect",    "into",         "lateral",
                            "leading",      "limit",        "localtime",    "localtimestamp",
                            "offset",       "on",           "only",         "order",
                            "placing",      "primary",      "references",   "returning",
                            "select",       "session_user", "some",         "symmetric",
                            "table",        "then",         "to",           "trailing",
                            "unique",       "user",         "variadic",     "when",
                            "where",        "window",       "index",        "key",
                            "values",       "transaction"}) {
      out.erase(sql);
    }
    return out;
  }();
  return words;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool valid_chars(const std::string& name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
  });
}

// The conventional spelling of a name in a given style, for "did you mean".
std::string restyle(const std::string& name, char style) {
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char ch = name[i];
    if (!std::isalnum(static_cast<unsigned char>(ch))) {
      if (!word.empty()) words.push_back(word);
      word.clear();
      continue;
    }
    bool boundary = std::isupper(static_cast<unsigned char>(ch)) && i > 0 &&
                    std::islower(static_cast<unsigned char>(name[i - 1]));
    if (boundary && !word.empty()) {
      words.push_back(word);
      word.clear();
    }
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (!word.empty()) words.push_back(word);
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string w = words[i];
    switch (style) {
      case 'P':
        w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
        out += w;
        break;
      case 'c':
        if (i > 0) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
        out += w;
        break;
      case 'U':
        for (auto& ch : w) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        out += (i ? "_" : "") + w;
        break;
      default:
        out += w;
    }
  }
  return out;
}

bool matches_style(const std::string& name, char style) {
  switch (style) {
    case 'l':  // context: lower-case letters and digits
      return std::islower(static_cast<unsigned char>(name[0])) &&
             std::all_of(name.begin(), name.end(), [](char ch) {
               return std::islower(static_cast<unsigned char>(ch)) ||
                      std::isdigit(static_cast<unsigned char>(ch));
             });
    case 'P':  // PascalCase
      return std::isupper(static_cast<unsigned char>(name[0])) &&
             name.find('_') == std::string::npos;
    case 'c':  // camelCase
      return std::islower(static_cast<unsigned char>(name[0])) &&
             name.find('_') == std::string::npos;
    case 'U':  // UPPER_CASE
      return std::all_of(name.begin(), name.end(),
                         [](char ch) {
                           return std::isupper(static_cast<unsigned char>(ch)) ||
                                  std::isdigit(static_cast<unsigned char>(ch)) || ch == '_';
                         }) &&
             name.back() != '_' && name.find("__") == std::string::npos;
  }
  return true;
}

const char* style_name(char style) {
  switch (style) {
    case 'l':
      return "lower-case letters and digits";
    case 'P':
      return "PascalCase";
    case 'c':
      return "camelCase";
    case 'U':
      return "UPPER_CASE";
  }
  return "";
}

}  // namespace

std::string snake_case(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char ch = name[i];
    if (std::isupper(static_cast<unsigned char>(ch))) {
      bool after_lower = i > 0 && (std::islower(static_cast<unsigned char>(name[i - 1])) ||
                                   std::isdigit(static_cast<unsigned char>(name[i - 1])));
      bool before_lower = i > 0 && i + 1 < name.size() &&
                          std::islower(static_cast<unsigned char>(name[i + 1])) &&
                          std::isupper(static_cast<unsigned char>(name[i - 1]));
      if ((after_lower || before_lower) && !out.empty() && out.back() != '_') out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else {
      out += ch;
    }
  }
  return out;
}

void Checker::check_identifier(const std::string& name, const Location& where,
                               std::string_view what, char style, bool sql) {
  if (name.empty()) {
    d_.error(where, std::string(what) + " has an empty name");
    return;
  }
  if (!valid_chars(name)) {
    std::string fixed = restyle(name, style);
    d_.error(where,
             std::string(what) + " '" + name +
                 "' is not a valid name: use letters, "
                 "digits and underscores, starting with a letter",
             valid_chars(fixed) ? "did you mean '" + fixed + "'?" : std::string());
    return;
  }
  if (!matches_style(name, style)) {
    std::string fixed = restyle(name, style);
    d_.error(where, std::string(what) + " '" + name + "' must be " + style_name(style),
             matches_style(fixed, style) && fixed != name ? "did you mean '" + fixed + "'?"
                                                          : std::string());
    return;
  }
  if (name.size() > 63) {
    d_.error(where, std::string(what) + " '" + name.substr(0, 20) +
                        "...' is longer than 63 characters, the limit of SQL and Kubernetes "
                        "names");
    return;
  }
  std::string low = lower(name);
  std::string snake = snake_case(name);
  if (style == 'U') {
    // Enum values, states and roles become scoped enumerators or plain strings; only the
    // macros every C++ compiler defines can break them.
    static const std::unordered_set<std::string> macros = {
        "NULL", "EOF", "TRUE", "FALSE", "DOMAIN", "OVERFLOW", "UNDERFLOW"};
    if (macros.count(name)) {
      d_.error(where, std::string(what) + " '" + name +
                          "' is a C and C++ macro name; choose "
                          "another name");
    }
    return;
  }
  // Only names that become tables or columns must avoid SQL's words; the rest (contexts,
  // commands, events, config values...) name classes, services and variables.
  const auto& words = sql ? reserved_words() : code_words();
  if (words.count(low)) {
    d_.error(where, std::string(what) + " '" + name + "' is a reserved word in " +
                        (sql ? "C++, SQL or JavaScript" : "C++ or JavaScript") +
                        "; choose another name");
  } else if (words.count(snake)) {
    d_.error(where,
             std::string(what) + " '" + name + "' becomes '" + snake +
                 "' in generated code and SQL, which is a reserved word; choose another name");
  }
}

void Checker::check_fields_names(const std::vector<Field>& fields, std::string_view what) {
  std::map<std::string, const Field*> seen;
  for (const auto& f : fields) {
    check_identifier(f.name, f.where, "field", 'c', true);
    auto [it, inserted] = seen.emplace(snake_case(f.name), &f);
    if (!inserted) {
      d_.error(f.where, "field '" + f.name + "' of " + std::string(what) + " collides with '" +
                            it->second->name + "' (line " + std::to_string(it->second->where.line) +
                            "): both become '" + it->first + "' in SQL");
    }
  }
}

void Checker::check_context_names(const Context& c) {
  check_identifier(c.name, c.where, "context", 'l');
  // Types, aggregates, commands, events, views, policies and calls share one C++ namespace.
  std::map<std::string, std::pair<std::string, Location>> seen;
  auto claim = [&](const std::string& name, const Location& where, const std::string& kind) {
    auto [it, inserted] =
        seen.emplace(snake_case(name), std::make_pair(kind + " '" + name + "'", where));
    if (!inserted) {
      d_.error(where,
               kind + " '" + name + "' clashes with the " + it->second.first +
                   " declared at line " + std::to_string(it->second.second.line) + " of context '" +
                   c.name + "'",
               "names in a context must be distinct; they become classes of one namespace");
    }
  };
  for (const auto& t : c.types) {
    check_identifier(t.name, t.where, "type", 'P', true);
    claim(t.name, t.where, "type");
    check_fields_names(t.fields, "type '" + t.name + "'");
    std::set<std::string> values;
    for (const auto& v : t.enum_values) {
      check_identifier(v.value, v.where, "enum value", 'U');
      if (!values.insert(v.value).second) {
        d_.error(v.where, "enum value '" + v.value + "' is listed twice in '" + t.name + "'");
      }
    }
  }
  for (const auto& a : c.aggregates) {
    check_identifier(a.name, a.where, "aggregate", 'P', true);
    claim(a.name, a.where, "aggregate");
    check_fields_names(a.fields, "aggregate '" + a.name + "'");
    for (const auto& f : a.fields) {
      if (f.name == "version") {
        d_.error(f.where,
                 "field name 'version' is reserved: eskit keeps the aggregate's "
                 "optimistic-lock version under it",
                 "call it e.g. 'revision' or 'releaseVersion'");
      }
    }
    if (a.lifecycle) {
      for (const auto& s : a.lifecycle->states) check_identifier(s.value, s.where, "state", 'U');
    }
  }
  for (const auto& cmd : c.commands) {
    check_identifier(cmd.name, cmd.where, "command", 'P');
    claim(cmd.name, cmd.where, "command");
    check_fields_names(cmd.input, "command '" + cmd.name + "'");
  }
  for (const auto& e : c.events) {
    check_identifier(e.name, e.where, "event", 'P');
    claim(e.name, e.where, "event");
    check_fields_names(e.fields, "event '" + e.name + "'");
  }
  for (const auto& p : c.policies) {
    check_identifier(p.name, p.where, "policy", 'P');
    claim(p.name, p.where, "policy");
  }
  for (const auto& call : c.calls) {
    check_identifier(call.name, call.where, "call", 'P');
    claim(call.name, call.where, "call");
  }
  for (const auto& v : c.views) {
    check_identifier(v.name, v.where, "view", 'P', true);
    claim(v.name, v.where, "view");
    check_fields_names(v.fields, "view '" + v.name + "'");
    for (const auto& q : v.queries) {
      check_identifier(q.name, q.where, "query", 'P');
      claim(q.name, q.where, "query");
    }
  }
  for (const auto& cv : c.config) check_identifier(cv.name, cv.where, "config value", 'c');
  for (const auto& vol : c.volumes) check_identifier(vol.name, vol.where, "volume", 'c');
}

void Checker::check_names() {
  check_identifier(m_.name.value, m_.name.where, "model", 'l');
  std::map<std::string, Location> participants;
  for (const auto* list : {&m_.actors, &m_.externals}) {
    for (const auto& p : *list) {
      check_identifier(p.name, p.where, list == &m_.actors ? "actor" : "external system", 'P');
      auto [it, inserted] = participants.emplace(p.name, p.where);
      if (!inserted) {
        d_.error(p.where, "'" + p.name +
                              "' is declared both as an actor and as an external "
                              "system (line " +
                              std::to_string(it->second.line) + ")");
      }
    }
  }
  std::set<std::string> roles;
  for (const auto& r : m_.roles) {
    check_identifier(r.value, r.where, "role", 'U');
    if (!roles.insert(r.value).second) {
      d_.error(r.where, "role '" + r.value + "' is listed twice");
    }
  }
  for (const auto& c : m_.contexts) check_context_names(c);
  std::map<std::string, Location> sagas;
  for (const auto& s : m_.sagas) {
    check_identifier(s.name, s.where, "saga", 'P');
    std::set<std::string> steps;
    for (const auto& step : s.steps) {
      check_identifier(step.name.value, step.name.where, "saga step", 'c');
      if (!step.name.value.empty() && !steps.insert(step.name.value).second) {
        d_.error(step.name.where,
                 "saga '" + s.name + "' has two steps named '" + step.name.value + "'");
      }
    }
  }
}

}  // namespace eskit::model::checks
