#include "variables.hpp"

#include <cctype>

#include "matcher.hpp"

namespace eskit::run {
namespace json = boost::json;

namespace {

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

const Json& value_of(const Vars& vars, const std::string& name) {
  auto it = vars.find(name);
  if (it == vars.end()) throw UnsetVariable(name);
  return it->second;
}

std::string text_of(const Json& value) {
  if (value.is_string()) return std::string(value.get_string());
  return json_text(value);
}

// RFC 3986 pchar plus '/' and '?' stay; a value holding '#', '%', a space or non-ASCII bytes
// would otherwise end or corrupt the URL.
std::string path_encoded(std::string_view text) {
  static constexpr std::string_view keep = "-._~!$&'()*+,;=:@/?";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || keep.find(c) != std::string_view::npos) {
      out += c;
    } else {
      static constexpr char hex[] = "0123456789ABCDEF";
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    }
  }
  return out;
}

}  // namespace

std::vector<Reference> references(std::string_view text, std::string& error,
                                  std::size_t& error_offset) {
  std::vector<Reference> found;
  for (std::size_t at = text.find("${"); at != std::string_view::npos;
       at = text.find("${", at + 1)) {
    const std::size_t close = text.find('}', at + 2);
    const std::string_view name =
        close == std::string_view::npos ? text.substr(at + 2) : text.substr(at + 2, close - at - 2);
    bool valid = close != std::string_view::npos && !name.empty() && name_start(name.front());
    for (char c : name) valid = valid && name_char(c);
    if (!valid) {
      error = close == std::string_view::npos
                  ? "'${' is never closed; a variable is written ${name}"
                  : "'${" + std::string(name) +
                        "}' is not a variable name; names are letters, digits and '_'";
      error_offset = at;
      return found;
    }
    found.push_back({std::string(name), at});
  }
  return found;
}

std::string substitute_text(std::string_view text, const Vars& vars, bool path) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = text.find("${"); at != std::string_view::npos; at = text.find("${", from)) {
    const std::size_t close = text.find('}', at + 2);
    if (close == std::string_view::npos) break;  // the loader refused it; kept as written
    out.append(text.substr(from, at - from));
    const std::string value =
        text_of(value_of(vars, std::string(text.substr(at + 2, close - at - 2))));
    out += path ? path_encoded(value) : value;
    from = close + 1;
  }
  out.append(text.substr(from));
  return out;
}

Json substitute(const Json& value, const Vars& vars) {
  switch (value.kind()) {
    case json::kind::string: {
      const std::string_view text = value.get_string();
      if (text.find("${") == std::string_view::npos) return value;
      if (text.size() > 3 && text.starts_with("${") && text.ends_with('}') &&
          text.find('}') == text.size() - 1) {
        return value_of(vars, std::string(text.substr(2, text.size() - 3)));
      }
      return Json(substitute_text(text, vars));
    }
    case json::kind::array: {
      json::array out;
      out.reserve(value.get_array().size());
      for (const auto& item : value.get_array()) out.push_back(substitute(item, vars));
      return out;
    }
    case json::kind::object: {
      json::object out;
      for (const auto& [key, item] : value.get_object()) out[key] = substitute(item, vars);
      return out;
    }
    default:
      return value;
  }
}

const Json* find_path(const Json& root, std::span<const std::string> path) {
  const Json* at = &root;
  for (const auto& segment : path) {
    if (at->is_object()) {
      at = at->get_object().if_contains(segment);
    } else if (at->is_array()) {
      std::size_t index = 0;
      bool digits = !segment.empty();
      for (char c : segment) {
        digits = digits && std::isdigit(static_cast<unsigned char>(c));
        if (digits) index = index * 10 + static_cast<std::size_t>(c - '0');
      }
      at = digits && index < at->get_array().size() ? &at->get_array()[index] : nullptr;
    } else {
      at = nullptr;
    }
    if (!at) return nullptr;
  }
  return at;
}

}  // namespace eskit::run
