#include "eskit/runtime/config/setting.hpp"

namespace eskit::runtime::config {

std::string expected_text(Type type) {
  switch (type) {
    case Type::string:
      return "a string";
    case Type::integer:
      return "an integer";
    case Type::boolean:
      return "true or false";
    case Type::number:
      return "a number";
    case Type::duration:
      return "a duration such as 500ms, 5s, 1m30s or 2h";
    case Type::strings:
      return "a list of strings";
  }
  return {};
}

namespace {

std::string display_duration(std::chrono::milliseconds d) {
  std::int64_t ms = d.count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms != 0 && ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

std::string display(const Value& value) {
  struct Visitor {
    std::string operator()(const std::string& s) const { return quoted(s); }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(double d) const {
      std::string s = std::to_string(d);
      // to_string writes six decimals; the trailing zeros say nothing.
      while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
      return s;
    }
    std::string operator()(std::chrono::milliseconds d) const { return display_duration(d); }
    std::string operator()(const std::vector<std::string>& items) const {
      std::string out = "[";
      for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quoted(items[i]);
      return out + "]";
    }
  };
  return std::visit(Visitor{}, value);
}

}  // namespace eskit::runtime::config
