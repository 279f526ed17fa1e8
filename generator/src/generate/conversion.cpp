#include "conversion.hpp"

#include <stdexcept>

#include "view_access.hpp"

namespace eskit::generate {

namespace {

bool flag(const tmpl::Object& field, std::string_view key) { return field.find(key)->as_bool(); }

bool integral(const std::string& cpp) { return cpp == "std::int32_t" || cpp == "std::int64_t"; }

/// The conversion of a present value; `value` is an expression of type `from_cpp`.
std::string convert_value(const std::string& value, const tmpl::Object& from,
                          const tmpl::Object& to) {
  const std::string& from_cpp = text(from, "value_cpp");
  const std::string& to_cpp = text(to, "value_cpp");
  if (from_cpp == to_cpp) return value;
  if (flag(from, "is_enum") && flag(to, "is_enum"))
    return "json_support::enum_cast<" + to_cpp + ">(" + value + ")";
  // Another context's enum arrives as text, its value objects as JSON.
  if (from_cpp == "std::string" && flag(to, "is_enum"))
    return "json_support::enum_from_text<" + to_cpp + ">(" + value + ")";
  if (from_cpp == "boost::json::value")
    return "json_support::convert<" + to_cpp + ">(" + value + ", \"" + text(to, "name") + "\")";
  if (flag(from, "is_enum") && to_cpp == "std::string")
    return "std::string(to_string(" + value + "))";
  if (integral(from_cpp) && integral(to_cpp)) {
    // Widening needs nothing; narrowing is what the model asked for (a long into an int).
    return to_cpp == "std::int64_t" ? value : "static_cast<std::int32_t>(" + value + ")";
  }
  if (integral(from_cpp) && to_cpp == "double") return "static_cast<double>(" + value + ")";
  if (integral(from_cpp) && to_cpp == "std::string") return "std::to_string(" + value + ")";
  throw std::logic_error("no conversion from " + from_cpp + " to " + to_cpp);
}

}  // namespace

std::string convert_field(const std::string& access, const tmpl::Object& from,
                          const tmpl::Object& to) {
  const bool from_optional = flag(from, "optional");
  const bool to_optional = flag(to, "optional");
  if (!from_optional) return convert_value(access, from, to);
  if (!to_optional) return convert_value(access + ".value()", from, to);
  const std::string converted = convert_value("*" + access, from, to);
  if (converted == "*" + access) return access;
  return access + " ? std::optional<" + text(to, "value_cpp") + ">(" + converted +
         ") : std::nullopt";
}

}  // namespace eskit::generate
