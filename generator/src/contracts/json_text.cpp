#include "eskit/contracts/json_text.hpp"

#include <boost/json/serialize.hpp>

namespace eskit::contracts {

namespace {

void write(std::string& out, const boost::json::value& value, int depth) {
  const auto newline = [&](int level) {
    out += '\n';
    out.append(static_cast<std::size_t>(level) * 2, ' ');
  };
  if (const auto* object = value.if_object()) {
    if (object->empty()) {
      out += "{}";
      return;
    }
    out += '{';
    bool first = true;
    for (const auto& [key, member] : *object) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      // Boost.JSON's own escaping, so keys and strings follow RFC 8259 exactly.
      out += boost::json::serialize(boost::json::value(key));
      out += ": ";
      write(out, member, depth + 1);
    }
    newline(depth);
    out += '}';
    return;
  }
  if (const auto* array = value.if_array()) {
    if (array->empty()) {
      out += "[]";
      return;
    }
    out += '[';
    bool first = true;
    for (const auto& item : *array) {
      if (!first) out += ',';
      first = false;
      newline(depth + 1);
      write(out, item, depth + 1);
    }
    newline(depth);
    out += ']';
    return;
  }
  out += boost::json::serialize(value);
}

}  // namespace

std::string json_text(const boost::json::value& value) {
  std::string out;
  write(out, value, 0);
  out += '\n';
  return out;
}

}  // namespace eskit::contracts
