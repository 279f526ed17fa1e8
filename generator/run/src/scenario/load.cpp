// Reading a scenario file: the YAML tree (with duplicate keys refused) and every check the
// format promises, all problems collected before any is reported.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <string_view>

#include "eskit/runtime/text/did_you_mean.hpp"
#include "eskit/runtime/text/join.hpp"
#include "matcher.hpp"
#include "scenario_data.hpp"
#include "variables.hpp"
#include "yaml_tree.hpp"

namespace eskit::run {
namespace yaml = model::yaml;
namespace json = boost::json;
using runtime::text::did_you_mean;
using runtime::text::join;

namespace {

constexpr std::array<std::string_view, 15> action_names = {
    "call", "eventually", "event",   "no_event", "settle", "shares_work", "repeat", "stop",
    "kill", "start",      "restart", "scale",    "slow",   "configure",   "broker"};

// The options each action takes beside its own key.
const std::map<std::string_view, std::vector<std::string_view>>& action_options() {
  static const std::map<std::string_view, std::vector<std::string_view>> table = {
      {"call", {"as", "body", "headers", "expect", "save", "to"}},
      {"eventually", {"within"}},
      {"event", {"where", "within", "count", "save"}},
      {"no_event", {"where"}},
      {"repeat", {"steps", "concurrency", "as", "tally"}},
  };
  return table;
}

const std::vector<std::string>& call_keys() {
  static const std::vector<std::string> keys = {"call",   "as",   "body", "headers",
                                                "expect", "save", "to"};
  return keys;
}

bool is_action(std::string_view key) {
  return std::find(action_names.begin(), action_names.end(), key) != action_names.end();
}

std::vector<std::string> actions_with_option(std::string_view option) {
  std::vector<std::string> owners;
  for (const auto& [action, options] : action_options()) {
    if (std::find(options.begin(), options.end(), option) != options.end())
      owners.emplace_back(action);
  }
  return owners;
}

bool identifier(std::string_view text) {
  static const std::regex pattern("[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(text.begin(), text.end(), pattern);
}

// The variables defined where a step is checked.
struct Scope {
  std::set<std::string, std::less<>> defined;
  bool in_repeat = false;
};

class Loader {
 public:
  Loader(std::shared_ptr<const model::SourceFile> source, model::Diagnostics& diagnostics,
         const std::vector<std::string>& contexts)
      : source_(std::move(source)), diagnostics_(diagnostics), known_contexts_(contexts) {}

  ScenarioData load(const yaml::Node& root) {
    ScenarioData data;
    if (!root.is_mapping()) {
      error(root, "a scenario file is a map with 'scenario:' and 'steps:'");
      return data;
    }
    static const std::vector<std::string> top = {"scenario", "proves", "description", "setup",
                                                 "steps"};
    for (const auto& [key, value] : root.entries) {
      if (std::find(top.begin(), top.end(), key->value) == top.end()) {
        error(*key, "unknown key '" + key->value + "'", did_you_mean(key->value, top));
      }
    }
    if (const auto* title = root.get("scenario")) {
      if (title->is_scalar() && !title->value.empty()) {
        data.title = title->value;
      } else {
        error(*title, "'scenario' is one sentence saying what the scenario proves");
      }
    } else {
      error(root, "missing 'scenario': one sentence saying what the scenario proves");
    }
    if (const auto* proves = root.get("proves")) {
      if (proves->is_scalar()) {
        data.proves.push_back(proves->value);
      } else if (proves->is_sequence() &&
                 std::all_of(proves->items.begin(), proves->items.end(),
                             [](const auto& i) { return i->is_scalar(); })) {
        for (const auto& item : proves->items) data.proves.push_back(item->value);
      } else {
        error(*proves, "'proves' is a list of requirement ids, such as [F6, N1]");
      }
    }
    if (const auto* description = root.get("description")) {
      if (description->is_scalar()) {
        data.description = description->value;
      } else {
        error(*description, "'description' is text");
      }
    }
    if (const auto* setup = root.get("setup")) data.setup = load_setup(*setup);
    const auto* steps = root.get("steps");
    if (!steps) {
      error(root, "missing 'steps': the list of steps to play");
    } else if (!steps->is_sequence() || steps->items.empty()) {
      error(*steps, "'steps' is a non-empty list of steps");
    } else {
      collect_saves(*steps);
      Scope scope;
      for (const auto& item : steps->items) {
        if (auto s = step(*item, scope)) data.steps.push_back(std::move(*s));
      }
    }
    data.reads_events = reads_events_;
    for (const auto& use : context_uses_) {
      if (known_contexts_.empty() || std::find(known_contexts_.begin(), known_contexts_.end(),
                                               use.name) != known_contexts_.end()) {
        continue;
      }
      diagnostics_.error(location(use.where), "unknown context '" + use.name + "'",
                         did_you_mean(use.name, known_contexts_));
    }
    std::set<std::string> names;
    for (const auto& use : context_uses_) names.insert(use.name);
    data.contexts.assign(names.begin(), names.end());
    data.context_uses = std::move(context_uses_);
    return data;
  }

 private:
  // --- reporting ---------------------------------------------------------------------------

  model::Location location(Position where) const { return {source_, where.line, where.column}; }
  static Position position(const yaml::Node& node) { return {node.where.line, node.where.column}; }

  void error(const yaml::Node& node, std::string message, std::string hint = {}) {
    diagnostics_.error(node.where, std::move(message), std::move(hint));
  }

  // The position of the byte `offset` of a scalar's value: exact for a scalar on one line
  // (plain or quoted, no escapes before it); the scalar's own position otherwise.
  Position inside(const yaml::Node& node, std::size_t offset, std::string_view expect) const {
    Position where = position(node);
    if (node.block) return where;
    const std::string_view line = source_->line(node.where.line);
    std::size_t column = node.where.column - 1;
    if (column < line.size() && (line[column] == '"' || line[column] == '\'')) ++column;
    column += offset;
    if (line.substr(std::min(column, line.size())).starts_with(expect)) {
      where.column = static_cast<std::uint32_t>(column + 1);
    }
    return where;
  }

  // --- values ------------------------------------------------------------------------------

  // Where every variable gets saved in the file, so a reference can say why it has no value
  // yet.
  void collect_saves(const yaml::Node& node) {
    if (node.is_sequence()) {
      for (const auto& item : node.items) collect_saves(*item);
    } else if (node.is_mapping()) {
      for (const auto& [key, value] : node.entries) {
        if (key->value == "save" && value->is_mapping()) {
          for (const auto& entry : value->entries)
            saves_.emplace(entry.first->value, entry.first->where.line);
        }
        collect_saves(*value);
      }
    }
  }

  void check_references(const yaml::Node& scalar, const Scope& scope) {
    std::string problem;
    std::size_t problem_offset = 0;
    for (const auto& ref : references(scalar.value, problem, problem_offset)) {
      if (ref.name == "run" || scope.defined.contains(ref.name)) continue;
      const Position where = inside(scalar, ref.offset, "${");
      const std::string shown = "${" + ref.name + "}";
      if (ref.name == "i") {
        if (!scope.in_repeat) {
          diagnostics_.error(location(where),
                             "'${i}' is the round number of a repeat; it exists only in a "
                             "repeat's steps");
        }
        continue;
      }
      auto [first, last] = saves_.equal_range(ref.name);
      std::optional<std::uint32_t> later;
      for (auto it = first; it != last && !later; ++it) {
        if (it->second >= where.line) later = it->second;
      }
      std::vector<std::string> known(scope.defined.begin(), scope.defined.end());
      known.emplace_back("run");
      if (later) {
        diagnostics_.error(location(where), "'" + shown + "' is used before the save at line " +
                                                std::to_string(*later) + " defines it");
      } else {
        diagnostics_.error(location(where), "'" + shown + "' is used but no step saves it",
                           did_you_mean(ref.name, known));
      }
    }
    if (!problem.empty()) {
      diagnostics_.error(location(inside(scalar, problem_offset, "${")), problem);
    }
  }

  static Json typed_scalar(const yaml::Node& node) {
    if (node.quoted || node.block) return Json(node.value);
    const std::string& text = node.value;
    if (text == "true" || text == "True" || text == "TRUE") return Json(true);
    if (text == "false" || text == "False" || text == "FALSE") return Json(false);
    static const std::regex integer("[-+]?[0-9]+");
    static const std::regex real("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?");
    const std::size_t skip = !text.empty() && text.front() == '+' ? 1 : 0;
    if (std::regex_match(text, integer)) {
      std::int64_t number = 0;
      auto [end, ec] = std::from_chars(text.data() + skip, text.data() + text.size(), number);
      if (ec == std::errc() && end == text.data() + text.size()) return Json(number);
    }
    if (std::regex_match(text, real)) return Json(std::strtod(text.c_str(), nullptr));
    return Json(text);
  }

  // A value of the file as JSON, its strings checked for references. `expected` allows
  // matchers (answers, events, tallies); a request body sends `$` keys as they are.
  Json value(const yaml::Node& node, const Scope& scope, bool expected) {
    switch (node.kind) {
      case yaml::Node::Kind::null:
        return nullptr;
      case yaml::Node::Kind::scalar:
        check_references(node, scope);
        return typed_scalar(node);
      case yaml::Node::Kind::sequence: {
        json::array out;
        for (const auto& item : node.items) out.push_back(value(*item, scope, expected));
        return out;
      }
      case yaml::Node::Kind::mapping:
        break;
    }
    json::object out;
    const bool matcher =
        expected && std::any_of(node.entries.begin(), node.entries.end(),
                                [](const auto& e) { return e.first->value.starts_with('$'); });
    for (const auto& [key, item] : node.entries) {
      if (matcher && !operator_ok(*key, *item)) continue;
      out[key->value] = value(*item, scope, expected);
    }
    return out;
  }

  bool operator_ok(const yaml::Node& key, const yaml::Node& operand) {
    const std::string& op = key.value;
    if (!op.starts_with('$')) {
      error(key, "'" + op + "' beside a matcher: a map holds either fields or matchers ($" +
                     "contains, $exists, …), not both");
      return false;
    }
    const std::vector<std::string> operators(matcher_operators.begin(), matcher_operators.end());
    if (std::find(operators.begin(), operators.end(), op) == operators.end()) {
      error(key, "unknown matcher '" + op + "'",
            did_you_mean(op, operators).empty() ? "the matchers are " + join(operators, ", ")
                                                : did_you_mean(op, operators));
      return false;
    }
    const bool whole_variable =
        operand.is_scalar() && operand.value.starts_with("${") && operand.value.ends_with('}');
    auto typed = operand.is_scalar() ? typed_scalar(operand) : Json();
    if (op == "$exists" && !typed.is_bool()) {
      error(operand, "'$exists' takes true or false");
      return false;
    }
    if ((op == "$gte" || op == "$lte") && !typed.is_number() && !whole_variable) {
      error(operand, "'" + op + "' takes a number");
      return false;
    }
    if (op == "$len" && !(typed.is_int64() && typed.get_int64() >= 0) && !whole_variable &&
        !operand.is_mapping()) {
      error(operand, "'$len' takes a length (0 or more) or a matcher, such as {$gte: 1}");
      return false;
    }
    if (op == "$match") {
      if (!operand.is_scalar()) {
        error(operand, "'$match' takes a regular expression");
        return false;
      }
      if (operand.value.find("${") == std::string::npos) {
        try {
          std::regex(operand.value, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
          error(operand, "invalid regular expression '" + operand.value + "': " + e.what());
          return false;
        }
      }
    }
    return true;
  }

  std::optional<Millis> duration(const yaml::Node& node) {
    static const std::regex pattern("([0-9]+)(ms|s|m)");
    std::smatch m;
    if (node.is_scalar() && std::regex_match(node.value, m, pattern)) {
      const long long amount = std::stoll(m[1].str());
      const long long scale = m[2] == "ms" ? 1 : (m[2] == "s" ? 1000 : 60'000);
      return Millis(amount * scale);
    }
    error(node, "'" + (node.is_scalar() ? node.value : std::string("…")) +
                    "' is not a duration; write a whole number and ms, s or m, such as 900ms, "
                    "20s or 2m");
    return std::nullopt;
  }

  std::optional<int> count(const yaml::Node& node, int minimum, std::string_view what) {
    if (node.is_scalar() && !node.quoted) {
      const auto typed = typed_scalar(node);
      if (typed.is_int64() && typed.get_int64() >= minimum && typed.get_int64() <= 1'000'000)
        return static_cast<int>(typed.get_int64());
    }
    error(node, std::string(what) + " is a whole number of " + std::to_string(minimum) +
                    " or more, not '" + (node.is_scalar() ? node.value : "…") + "'");
    return std::nullopt;
  }

  std::optional<std::string> context(const yaml::Node& node) {
    if (!node.is_scalar() || node.value.empty()) {
      error(node, "expected a context name");
      return std::nullopt;
    }
    context_uses_.push_back({node.value, position(node)});
    return node.value;
  }

  // --- steps -------------------------------------------------------------------------------

  std::optional<Step> step(const yaml::Node& node, Scope& scope) {
    if (!node.is_mapping()) {
      error(node, "a step is a map with one action, such as 'call: GET /calls'");
      return std::nullopt;
    }
    Step result;
    result.where = position(node);
    const yaml::Node* action_key = nullptr;
    const yaml::Node* action_value = nullptr;
    for (const auto& [key, item] : node.entries) {
      if (!is_action(key->value)) continue;
      if (action_key) {
        error(*key, "a step has one action; this one has '" + action_key->value + "' (line " +
                        std::to_string(action_key->where.line) + ") and '" + key->value + "'");
        continue;
      }
      action_key = key.get();
      action_value = item.get();
    }
    bool misplaced = false;
    for (const auto& [key, item] : node.entries) {
      const std::string& name = key->value;
      if (name == "say") {
        if (item->is_scalar()) {
          check_references(*item, scope);
          result.say = item->value;
        } else {
          error(*item, "'say' is the text to print");
        }
        continue;
      }
      if (is_action(name)) continue;
      const auto owners = actions_with_option(name);
      if (owners.empty()) {
        std::vector<std::string> candidates(action_names.begin(), action_names.end());
        for (const auto& [action, options] : action_options())
          candidates.insert(candidates.end(), options.begin(), options.end());
        candidates.emplace_back("say");
        error(*key, "unknown step key '" + name + "'", did_you_mean(name, candidates));
        misplaced = true;
      } else if (action_key) {
        const auto& mine = action_options().count(action_key->value)
                               ? action_options().at(action_key->value)
                               : std::vector<std::string_view>{};
        if (std::find(mine.begin(), mine.end(), name) == mine.end()) {
          std::string hint = "it belongs to " + join(owners, " and ");
          if (action_key->value == "eventually" &&
              std::find(call_keys().begin(), call_keys().end(), name) != call_keys().end()) {
            hint =
                "inside eventually, the call and its options form one map: eventually: {call: "
                "…, " +
                name + ": …}";
          }
          error(*key, "'" + name + "' is not an option of '" + action_key->value + "'", hint);
          misplaced = true;
        }
      } else {
        misplaced = true;
        error(*key,
              "'" + name + "' without an action: a step with it needs " + join(owners, " or "));
      }
    }
    if (!action_key) {
      if (misplaced) return std::nullopt;
      if (result.say.empty()) {
        error(node, "a step needs an action: one of " +
                        join({action_names.begin(), action_names.end()}, ", "));
        return std::nullopt;
      }
      result.action = SayStep{};
      return result;
    }
    std::optional<Action> action = parse_action(action_key->value, *action_value, node, scope);
    if (!action || misplaced) return std::nullopt;
    result.action = std::move(*action);
    return result;
  }

  std::optional<Action> parse_action(const std::string& name, const yaml::Node& value,
                                     const yaml::Node& step, Scope& scope) {
    if (name == "call") {
      auto spec = call(value, step, scope);
      if (!spec) return std::nullopt;
      return CallStep{std::move(*spec)};
    }
    if (name == "eventually") return eventually(value, step, scope);
    if (name == "event" || name == "no_event") return event(name, value, step, scope);
    if (name == "settle") {
      auto deadline = duration(value);
      if (!deadline) return std::nullopt;
      return SettleStep{*deadline};
    }
    if (name == "shares_work") {
      auto ctx = context(value);
      if (!ctx) return std::nullopt;
      return SharesWorkStep{*ctx};
    }
    if (name == "repeat") return repeat(value, step, scope);
    if (name == "stop" || name == "kill" || name == "start" || name == "restart") {
      auto ctx = context(value);
      if (!ctx) return std::nullopt;
      const Fault fault = name == "stop"    ? Fault::stop
                          : name == "kill"  ? Fault::kill
                          : name == "start" ? Fault::start
                                            : Fault::restart;
      return FaultStep{fault, *ctx};
    }
    if (name == "scale") return scale(value);
    if (name == "slow") return slow(value);
    if (name == "configure") {
      auto settings = configure(value, "configure");
      if (!settings) return std::nullopt;
      return ConfigureStep{std::move(*settings)};
    }
    if (value.is_scalar() && (value.value == "down" || value.value == "up"))
      return BrokerStep{value.value == "up"};
    error(value, "'broker' is down or up");
    return std::nullopt;
  }

  // The call written as `call: METHOD /path` in `map`, with its options beside it.
  std::optional<CallSpec> call(const yaml::Node& target, const yaml::Node& map, Scope& scope) {
    CallSpec spec;
    bool ok = true;
    static const std::regex form("([A-Za-z]+) +(\\S+)");
    static const std::set<std::string, std::less<>> methods = {"GET",    "POST", "PUT",    "PATCH",
                                                               "DELETE", "HEAD", "OPTIONS"};
    std::smatch m;
    // A path may also be a saved one, such as ${location} from headers.Location.
    if (!target.is_scalar() || !std::regex_match(target.value, m, form) ||
        !(m[2].str().starts_with('/') || m[2].str().starts_with("${"))) {
      error(target, "write a call as METHOD /path, such as 'GET /calls/${callId}'");
      ok = false;
    } else {
      spec.method = m[1].str();
      spec.target = m[2].str();
      if (!methods.contains(spec.method)) {
        std::string upper = spec.method;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        error(target, "unknown HTTP method '" + spec.method + "'",
              methods.contains(upper) ? "write it in capitals: " + upper
                                      : "use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS");
        ok = false;
      }
      check_references(target, scope);
    }
    if (const auto* to = map.get("to")) {
      if (auto ctx = context(*to)) spec.to = *ctx;
    }
    if (const auto* as = map.get("as")) {
      spec.as = identity(*as, scope);
      ok = ok && spec.as.has_value();
    }
    if (const auto* body = map.get("body")) spec.body = value(*body, scope, false);
    if (const auto* headers = map.get("headers")) {
      if (!headers->is_mapping()) {
        error(*headers, "'headers' is a map of header names to values");
        ok = false;
      } else {
        for (const auto& [key, item] : headers->entries) {
          if (!item->is_scalar()) {
            error(*item, "a header's value is text");
            ok = false;
            continue;
          }
          check_references(*item, scope);
          spec.headers.emplace_back(key->value, Json(item->value));
        }
      }
    }
    if (const auto* expect = map.get("expect")) ok = expectation(*expect, scope, spec.expect) && ok;
    if (const auto* save = map.get("save")) {
      ok = saves(*save, {"body", "status", "headers"}, scope, spec.save) && ok;
    }
    if (!ok) return std::nullopt;
    return spec;
  }

  std::optional<Identity> identity(const yaml::Node& node, const Scope& scope) {
    Identity who;
    if (node.is_scalar() && !node.value.empty() && node.value.find(' ') == std::string::npos) {
      check_references(node, scope);
      who.subject = "scenario";
      who.roles.emplace_back(node.value);
      return who;
    }
    if (!node.is_mapping()) {
      error(node, "'as' is a role name, such as CUSTOMER, or {subject: …, roles: […]}");
      return std::nullopt;
    }
    bool ok = true;
    for (const auto& [key, item] : node.entries) {
      if (key->value != "subject" && key->value != "roles") {
        error(*key, "unknown key '" + key->value + "' in 'as'",
              did_you_mean(key->value, {"subject", "roles"}));
        ok = false;
      }
    }
    const auto* subject = node.get("subject");
    if (!subject || !subject->is_scalar() || subject->value.empty()) {
      error(subject ? *subject : node, "'as' needs a subject: whom the token names");
      ok = false;
    } else {
      check_references(*subject, scope);
      who.subject = Json(subject->value);
    }
    if (const auto* roles = node.get("roles")) {
      std::vector<const yaml::Node*> items;
      if (roles->is_scalar()) {
        items.push_back(roles);
      } else if (roles->is_sequence()) {
        for (const auto& item : roles->items) items.push_back(item.get());
      }
      for (const auto* item : items) {
        if (!item->is_scalar()) {
          items.clear();
          break;
        }
        check_references(*item, scope);
        who.roles.emplace_back(item->value);
      }
      if (items.empty() && !(roles->is_sequence() && roles->items.empty())) {
        error(*roles, "'roles' is a list of role names, such as [CUSTOMER]");
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return who;
  }

  bool expectation(const yaml::Node& node, const Scope& scope, Expectation& out) {
    if (!node.is_mapping()) {
      error(node, "'expect' is a map of status, body and headers");
      return false;
    }
    bool ok = true;
    static const std::vector<std::string> keys = {"status", "body", "headers"};
    for (const auto& [key, item] : node.entries) {
      if (std::find(keys.begin(), keys.end(), key->value) == keys.end()) {
        error(*key, "unknown key '" + key->value + "' in 'expect'", did_you_mean(key->value, keys));
        ok = false;
      }
    }
    if (const auto* status = node.get("status")) {
      auto code = [&](const yaml::Node& n) {
        const Json typed = n.is_scalar() && !n.quoted ? typed_scalar(n) : Json();
        return typed.is_int64() && typed.get_int64() >= 100 && typed.get_int64() <= 599;
      };
      const bool list = status->is_sequence() && !status->items.empty() &&
                        std::all_of(status->items.begin(), status->items.end(),
                                    [&](const auto& item) { return code(*item); });
      if (code(*status) || list) {
        out.status = value(*status, scope, false);
      } else {
        error(*status, "'status' is a status code or a list of them, such as 201 or [200, 409]");
        ok = false;
      }
    }
    if (const auto* body = node.get("body")) out.body = value(*body, scope, true);
    if (const auto* headers = node.get("headers")) {
      if (headers->is_mapping()) {
        out.headers = value(*headers, scope, true);
      } else {
        error(*headers, "'headers' is a map of header names to expected values");
        ok = false;
      }
    }
    return ok;
  }

  bool saves(const yaml::Node& node, const std::vector<std::string>& roots, Scope& scope,
             std::vector<Save>& out) {
    if (!node.is_mapping()) {
      error(node, "'save' is a map of names to paths, such as {callId: body.callId}");
      return false;
    }
    bool ok = true;
    for (const auto& [key, item] : node.entries) {
      const std::string& name = key->value;
      if (!identifier(name) || name == "run" || name == "i") {
        error(*key, identifier(name)
                        ? "'" + name + "' is set by the player; save under another name"
                        : "'" + name +
                              "' is not a variable name; names are letters, "
                              "digits and '_'");
        ok = false;
        continue;
      }
      Save save{name, {}};
      if (item->is_scalar()) {
        std::string_view path = item->value;
        while (!path.empty()) {
          const auto dot = path.find('.');
          save.path.emplace_back(path.substr(0, dot));
          path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
        }
      }
      const bool empty_segment =
          std::any_of(save.path.begin(), save.path.end(), [](const auto& s) { return s.empty(); });
      const std::string root = save.path.empty() ? std::string() : save.path.front();
      if (save.path.empty() || empty_segment ||
          std::find(roots.begin(), roots.end(), root) == roots.end()) {
        error(*item,
              "'" + (item->is_scalar() ? item->value : std::string("…")) + "' is not a path of " +
                  join(roots, ", ") + ", such as " +
                  (roots.front() == "event" ? "event.callId" : "body.callId"),
              did_you_mean(root, roots));
        ok = false;
        continue;
      }
      if ((root == "status" && save.path.size() != 1) ||
          (root == "headers" && save.path.size() != 2)) {
        error(*item, root == "status" ? "'status' has no parts: save it as 'status'"
                                      : "save a header as headers.Name, such as headers.Location");
        ok = false;
        continue;
      }
      out.push_back(std::move(save));
    }
    // Defined after the step that saves them, whether or not the step was written right.
    for (const auto& [key, item] : node.entries) scope.defined.insert(key->value);
    return ok;
  }

  std::optional<Action> eventually(const yaml::Node& value, const yaml::Node& step, Scope& scope) {
    EventuallyStep result;
    if (const auto* within = step.get("within")) {
      result.within = duration(*within);
      if (!result.within) return std::nullopt;
    }
    if (!value.is_mapping() || !value.get("call")) {
      error(value, "'eventually' holds a call step's map: {call: GET /…, expect: {…}}");
      return std::nullopt;
    }
    bool ok = true;
    for (const auto& [key, item] : value.entries) {
      if (std::find(call_keys().begin(), call_keys().end(), key->value) != call_keys().end())
        continue;
      error(*key,
            key->value == "within" ? "'within' belongs beside 'eventually', not inside its call"
                                   : "unknown key '" + key->value + "' in eventually's call",
            key->value == "within" ? std::string() : did_you_mean(key->value, call_keys()));
      ok = false;
    }
    if (!value.get("expect")) {
      error(value, "'eventually' needs an 'expect': the answer it waits for");
      ok = false;
    }
    auto spec = call(*value.get("call"), value, scope);
    if (!spec || !ok) return std::nullopt;
    result.call = std::move(*spec);
    return result;
  }

  std::optional<Action> event(const std::string& action, const yaml::Node& value,
                              const yaml::Node& step, Scope& scope) {
    static const std::regex form("([a-z][a-z0-9]*)\\.([A-Za-z][A-Za-z0-9]*)");
    std::smatch m;
    if (!value.is_scalar() || !std::regex_match(value.value, m, form)) {
      error(value, "write the event as context.EventName, such as payment.PaymentCancelled");
      return std::nullopt;
    }
    reads_events_ = true;
    context_uses_.push_back({m[1].str(), position(value)});
    std::optional<Json> where;
    bool ok = true;
    if (const auto* w = step.get("where")) {
      if (w->is_mapping()) {
        where = this->value(*w, scope, true);
      } else {
        error(*w, "'where' is a map of the event's fields, such as {callId: \"${callId}\"}");
        ok = false;
      }
    }
    if (action == "no_event") {
      if (!ok) return std::nullopt;
      return NoEventStep{m[1].str(), m[2].str(), std::move(where)};
    }
    EventStep result{m[1].str(), m[2].str(), std::move(where), std::nullopt, std::nullopt, {}};
    const auto* count_node = step.get("count");
    if (const auto* within = step.get("within")) {
      if (count_node) {
        error(*within,
              "'within' beside 'count': a count is checked once, after reading every "
              "event published so far",
              "put a settle step before it");
        ok = false;
      } else {
        result.within = duration(*within);
        ok = ok && result.within.has_value();
      }
    }
    if (count_node) {
      if (count_node->is_mapping()) {
        result.count = this->value(*count_node, scope, true);
        if (!is_matcher(*result.count)) {
          error(*count_node, "'count' is a number or a matcher, such as {$gte: 1}");
          ok = false;
        }
      } else if (auto n = count(*count_node, 0, "'count'")) {
        result.count = Json(static_cast<std::int64_t>(*n));
      } else {
        ok = false;
      }
    }
    if (const auto* save = step.get("save")) ok = saves(*save, {"event"}, scope, result.save) && ok;
    if (!ok) return std::nullopt;
    return result;
  }

  std::optional<Action> repeat(const yaml::Node& value, const yaml::Node& step, Scope& scope) {
    RepeatStep result;
    bool ok = true;
    if (auto times = count(value, 1, "'repeat'")) {
      result.times = *times;
    } else {
      ok = false;
    }
    if (const auto* concurrency = step.get("concurrency")) {
      if (auto n = count(*concurrency, 1, "'concurrency'")) {
        result.concurrency = *n;
      } else {
        ok = false;
      }
    }
    std::optional<Identity> as;
    if (const auto* as_node = step.get("as")) {
      as = identity(*as_node, scope);
      ok = ok && as.has_value();
    }
    if (const auto* tally = step.get("tally")) {
      if (!tally->is_mapping()) {
        error(*tally,
              "'tally' is a map of expected counts, such as {status: {\"503\": {$gte: 1}}}");
        ok = false;
      } else {
        static const std::vector<std::string> keys = {"calls", "held", "failed", "status", "ms"};
        for (const auto& [key, item] : tally->entries) {
          if (std::find(keys.begin(), keys.end(), key->value) == keys.end()) {
            error(*key, "unknown key '" + key->value + "' in 'tally'",
                  did_you_mean(key->value, keys));
            ok = false;
          }
        }
        result.tally = this->value(*tally, scope, true);
      }
    }
    const auto* steps = step.get("steps");
    if (!steps || !steps->is_sequence() || steps->items.empty()) {
      error(steps ? *steps : step, "'repeat' needs 'steps': the list of steps of one round");
      return std::nullopt;
    }
    Scope round = scope;
    round.in_repeat = true;
    for (const auto& item : steps->items) {
      auto inner = this->step(*item, round);
      if (!inner) {
        ok = false;
        continue;
      }
      auto* call_step = std::get_if<CallStep>(&inner->action);
      auto* eventually_step = std::get_if<EventuallyStep>(&inner->action);
      if (!call_step && !eventually_step && !std::holds_alternative<EventStep>(inner->action) &&
          !std::holds_alternative<NoEventStep>(inner->action) &&
          !std::holds_alternative<SayStep>(inner->action)) {
        error(*item,
              "a repeat's steps are call, eventually, event and no_event steps; faults, "
              "settle and repeat belong outside it");
        ok = false;
        continue;
      }
      if (!inner->say.empty()) {
        error(*item, "a 'say' inside a repeat would print every round; put it on the repeat step");
        ok = false;
        continue;
      }
      CallSpec* spec =
          call_step ? &call_step->call : (eventually_step ? &eventually_step->call : nullptr);
      if (spec && !spec->as && as) spec->as = as;
      result.steps.push_back(std::move(*inner));
    }
    // What the last round saved stays after the repeat.
    scope.defined.insert(round.defined.begin(), round.defined.end());
    if (!ok) return std::nullopt;
    return result;
  }

  std::optional<Action> scale(const yaml::Node& value) {
    if (!value.is_mapping()) {
      error(value, "'scale' is a map of contexts to replica counts, such as {payment: 2}");
      return std::nullopt;
    }
    ScaleStep result;
    bool ok = true;
    for (const auto& [key, item] : value.entries) {
      auto ctx = context(*key);
      auto n = count(*item, 1, "a replica count");
      if (ctx && n) {
        result.replicas.emplace_back(*ctx, *n);
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return result;
  }

  std::optional<Action> slow(const yaml::Node& value) {
    if (!value.is_mapping()) {
      error(value, "'slow' is a map of contexts to delays, such as {payment: 900ms}");
      return std::nullopt;
    }
    SlowStep result;
    bool ok = true;
    for (const auto& [key, item] : value.entries) {
      auto ctx = context(*key);
      auto delay = duration(*item);
      if (ctx && delay) {
        result.delays.emplace_back(*ctx, *delay);
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return result;
  }

  std::optional<std::vector<Setting>> configure(const yaml::Node& value, std::string_view what) {
    const std::string example = std::string("'") + std::string(what) +
                                "' is a map of contexts to settings, such as {catcher: "
                                "{ESKIT_CATCHER_SERVICE_AREA: \"kangnam,mapo\"}}";
    if (!value.is_mapping()) {
      error(value, example);
      return std::nullopt;
    }
    static const std::regex variable("ESKIT_[A-Z0-9_]+");
    std::vector<Setting> settings;
    bool ok = true;
    for (const auto& [key, item] : value.entries) {
      auto ctx = context(*key);
      if (!item->is_mapping()) {
        error(*item, example);
        ok = false;
        continue;
      }
      for (const auto& [name, setting] : item->entries) {
        if (!std::regex_match(name->value, variable)) {
          error(*name, "'" + name->value +
                           "' is not a setting; write its ESKIT_… variable, such "
                           "as ESKIT_CATCHER_SERVICE_AREA");
          ok = false;
          continue;
        }
        std::string text;
        if (setting->is_scalar() || setting->is_null()) {
          text = setting->value;
        } else if (setting->is_sequence() &&
                   std::all_of(setting->items.begin(), setting->items.end(),
                               [](const auto& i) { return i->is_scalar(); })) {
          // A list setting travels as comma-separated text, as the services read it.
          for (const auto& part : setting->items) text += (text.empty() ? "" : ",") + part->value;
        } else {
          error(*setting, "a setting's value is text or a list of words");
          ok = false;
          continue;
        }
        if (ctx) settings.push_back({*ctx, name->value, text});
      }
      ok = ok && ctx.has_value();
    }
    if (!ok) return std::nullopt;
    return settings;
  }

  ScenarioSetup load_setup(const yaml::Node& node) {
    ScenarioSetup setup;
    if (!node.is_mapping()) {
      error(node, "'setup' is a map of postgres, replicas and config");
      return setup;
    }
    static const std::vector<std::string> keys = {"postgres", "replicas", "config"};
    for (const auto& [key, item] : node.entries) {
      if (std::find(keys.begin(), keys.end(), key->value) == keys.end())
        error(*key, "unknown key '" + key->value + "' in 'setup'", did_you_mean(key->value, keys));
    }
    if (const auto* postgres = node.get("postgres")) {
      const Json typed = postgres->is_scalar() ? typed_scalar(*postgres) : Json();
      if (typed.is_bool()) {
        setup.postgres = typed.get_bool();
      } else {
        error(*postgres, "'postgres' is true or false");
      }
    }
    if (const auto* replicas = node.get("replicas")) {
      if (auto step = scale(*replicas)) {
        for (const auto& [ctx, n] : std::get<ScaleStep>(*step).replicas) setup.replicas[ctx] = n;
      }
    }
    if (const auto* config = node.get("config")) {
      if (auto settings = configure(*config, "config")) {
        for (const auto& s : *settings) setup.config[s.context][s.variable] = s.value;
      }
    }
    return setup;
  }

  std::shared_ptr<const model::SourceFile> source_;
  model::Diagnostics& diagnostics_;
  const std::vector<std::string>& known_contexts_;
  std::multimap<std::string, std::uint32_t> saves_;  // name → line
  std::vector<ContextUse> context_uses_;
  bool reads_events_ = false;
};

std::string with_hint(const model::Diagnostic& d) {
  return d.hint.empty() ? d.message : d.message + "; " + d.hint;
}

}  // namespace

std::string error_line(const std::string& file_name, Position where, const std::string& message) {
  return file_name + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
         ": error: " + message;
}

ScenarioData parse_scenario(std::string file_name, std::string text,
                            const std::vector<std::string>& contexts) {
  auto source = std::make_shared<const model::SourceFile>(file_name, std::move(text));
  model::Diagnostics diagnostics;
  ScenarioData data;
  if (auto root = yaml::parse(source, diagnostics)) {
    data = Loader(source, diagnostics, contexts).load(*root);
  } else if (!diagnostics.has_errors()) {
    diagnostics.error({source, 1, 1},
                      "the file is empty; a scenario needs 'scenario:' and 'steps:'");
  }
  if (diagnostics.has_errors()) {
    diagnostics.sort();
    std::vector<std::string> lines;
    for (const auto& d : diagnostics.all()) {
      lines.push_back(error_line(file_name, {d.where.line, d.where.column}, with_hint(d)));
    }
    throw ScenarioError(std::move(lines));
  }
  data.file_name = std::move(file_name);
  return data;
}

}  // namespace eskit::run
