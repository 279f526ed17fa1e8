#include "matcher.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <regex>

namespace eskit::run {
namespace json = boost::json;

namespace {

bool is_integer(const Json& v) { return v.is_int64() || v.is_uint64(); }

// Numbers compare by value whatever their representation: 5, 5.0 and an unsigned 5 are equal.
// Numbers compare by value whatever their representation: 5, 5.0 and an unsigned 5 are equal.
int compare_numbers(const Json& a, const Json& b) {
  auto order = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  if (is_integer(a) && is_integer(b)) {
    if (a.is_int64() && b.is_int64()) return order(a.get_int64(), b.get_int64());
    // At least one is unsigned (above int64's range); a negative is below it.
    if (a.is_int64() && a.get_int64() < 0) return -1;
    if (b.is_int64() && b.get_int64() < 0) return 1;
    return order(a.to_number<std::uint64_t>(), b.to_number<std::uint64_t>());
  }
  return order(a.to_number<double>(), b.to_number<double>());
}

// Scalars only: match() walks objects and lists itself.
bool equal(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  return a == b;
}

std::string got_text(const Json* actual) { return actual ? short_json(*actual) : "(absent)"; }

std::optional<Mismatch> fail(const std::string& path, std::string expected, const Json* actual) {
  return Mismatch{path, std::move(expected), got_text(actual)};
}

std::optional<Mismatch> match_operator(std::string_view op, const Json& operand, const Json* actual,
                                       const std::string& path) {
  const std::string expected =
      "{" + json::serialize(json::string_view(op)) + ":" + short_json(operand) + "}";
  if (op == "$exists") {
    const bool want = operand.is_bool() && operand.get_bool();
    if ((actual != nullptr) == want) return std::nullopt;
    return fail(path, want ? "present" : "absent", actual);
  }
  if (!actual) return fail(path, expected, actual);
  if (op == "$ne") {
    if (!match(operand, actual, path)) return fail(path, expected, actual);
    return std::nullopt;
  }
  if (op == "$gte" || op == "$lte") {
    if (!operand.is_number() || !actual->is_number()) return fail(path, expected, actual);
    const int order = compare_numbers(*actual, operand);
    if (op == "$gte" ? order >= 0 : order <= 0) return std::nullopt;
    return fail(path, expected, actual);
  }
  if (op == "$len") {
    std::size_t size = 0;
    if (actual->is_array()) {
      size = actual->get_array().size();
    } else if (actual->is_string()) {
      size = actual->get_string().size();
    } else if (actual->is_object()) {
      size = actual->get_object().size();
    } else {
      return fail(path, expected, actual);
    }
    const Json length(static_cast<std::int64_t>(size));
    if (auto m = match(operand, &length, path + ".$len")) {
      return Mismatch{path, expected, got_text(actual) + " (length " + std::to_string(size) + ")"};
    }
    return std::nullopt;
  }
  if (op == "$match") {
    if (!operand.is_string() || !actual->is_string()) return fail(path, expected, actual);
    try {
      const std::regex pattern(std::string(operand.get_string()), std::regex::ECMAScript);
      if (std::regex_search(std::string(actual->get_string()), pattern)) return std::nullopt;
    } catch (const std::regex_error&) {
      // A pattern made with ${...} can only be checked now; it simply does not match.
    }
    return fail(path, expected, actual);
  }
  // $contains: every given element matches some element of the list (each its own), or a
  // substring of a string.
  if (actual->is_string() && operand.is_string()) {
    if (actual->get_string().find(operand.get_string()) != json::string::npos) return std::nullopt;
    return fail(path, expected, actual);
  }
  if (!actual->is_array()) return fail(path, expected, actual);
  const auto& items = actual->get_array();
  json::array wanted;
  if (operand.is_array()) {
    wanted = operand.get_array();
  } else {
    wanted.push_back(operand);
  }
  std::vector<bool> used(items.size(), false);
  for (const auto& want : wanted) {
    bool found = false;
    for (std::size_t k = 0; k < items.size() && !found; ++k) {
      if (!used[k] && !match(want, &items[k], path)) found = used[k] = true;
    }
    if (!found) return Mismatch{path, "an element matching " + short_json(want), got_text(actual)};
  }
  return std::nullopt;
}

}  // namespace

bool is_matcher(const Json& value) {
  if (!value.is_object() || value.get_object().empty()) return false;
  const auto& object = value.get_object();
  return std::all_of(object.begin(), object.end(), [](const json::key_value_pair& entry) {
    return !entry.key().empty() && entry.key().front() == '$';
  });
}

std::optional<Mismatch> match(const Json& expected, const Json* actual, const std::string& path) {
  if (is_matcher(expected)) {
    for (const auto& [op, operand] : expected.get_object()) {
      if (auto m = match_operator(op, operand, actual, path)) return m;
    }
    return std::nullopt;
  }
  if (!actual) return fail(path, short_json(expected), actual);
  if (expected.is_object()) {
    if (!actual->is_object()) return fail(path, short_json(expected), actual);
    for (const auto& [key, want] : expected.get_object()) {
      if (auto m =
              match(want, actual->get_object().if_contains(key), path + "." + std::string(key)))
        return m;
    }
    return std::nullopt;
  }
  if (expected.is_array()) {
    if (!actual->is_array()) return fail(path, short_json(expected), actual);
    const auto& want = expected.get_array();
    const auto& got = actual->get_array();
    if (want.size() != got.size()) {
      return Mismatch{path, std::to_string(want.size()) + " elements " + short_json(expected),
                      std::to_string(got.size()) + " elements " + short_json(*actual)};
    }
    for (std::size_t k = 0; k < want.size(); ++k) {
      if (auto m = match(want[k], &got[k], path + "." + std::to_string(k))) return m;
    }
    return std::nullopt;
  }
  if (equal(expected, *actual)) return std::nullopt;
  return fail(path, short_json(expected), actual);
}

std::string json_text(const Json& value) {
  switch (value.kind()) {
    case json::kind::double_: {
      // Shortest text that reads back the same: 4999.5, not Boost's 4.9995E3.
      char buffer[32];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_double());
      return ec == std::errc() ? std::string(buffer, end) : json::serialize(value);
    }
    case json::kind::array: {
      std::string out = "[";
      for (const auto& item : value.get_array())
        out += (out.size() > 1 ? "," : "") + json_text(item);
      return out + "]";
    }
    case json::kind::object: {
      std::string out = "{";
      for (const auto& [key, item] : value.get_object()) {
        out += (out.size() > 1 ? "," : "") + json::serialize(json::string_view(key)) + ":" +
               json_text(item);
      }
      return out + "}";
    }
    default:
      return json::serialize(value);
  }
}

std::string short_json(const Json& value, std::size_t limit) {
  std::string text = json_text(value);
  if (text.size() <= limit) return text;
  // Cut on a UTF-8 character boundary so the report stays valid text.
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

}  // namespace eskit::run
