#include "type_mapping.hpp"

#include "eskit/template/case.hpp"
#include "eskit/template/quote.hpp"

namespace eskit::generate {

namespace {

using model::Primitive;
using model::Type;

const char* cpp_primitive(Primitive p) {
  switch (p) {
    case Primitive::string:
      return "std::string";
    case Primitive::int32:
      return "std::int32_t";
    case Primitive::int64:
      return "std::int64_t";
    case Primitive::float64:
      return "double";
    case Primitive::boolean:
      return "bool";
    // Exact decimals, dates, timestamps and UUIDs travel as their ISO or canonical text: no
    // standard C++ type round-trips all of them through JSON and SQL without loss.
    case Primitive::decimal:
    case Primitive::date:
    case Primitive::datetime:
    case Primitive::uuid:
      return "std::string";
  }
  return "std::string";
}

const char* sql_primitive(Primitive p, Dialect dialect) {
  const bool lite = dialect == Dialect::sqlite;
  switch (p) {
    case Primitive::string:
      return "text";
    case Primitive::int32:
      return "integer";
    case Primitive::int64:
      return lite ? "integer" : "bigint";
    case Primitive::float64:
      return lite ? "real" : "double precision";
    case Primitive::decimal:
      return lite ? "text" : "numeric";
    case Primitive::boolean:
      return lite ? "integer" : "boolean";
    case Primitive::date:
      return lite ? "text" : "date";
    case Primitive::datetime:
      return lite ? "text" : "timestamptz";
    case Primitive::uuid:
      return lite ? "text" : "uuid";
  }
  return "text";
}

}  // namespace

std::string cpp_type(const Type& type, std::string_view inline_enum_name) {
  switch (type.kind) {
    case Type::Kind::primitive:
      return cpp_primitive(type.primitive);
    case Type::Kind::list:
      return "std::vector<" + cpp_type(*type.element, inline_enum_name) + ">";
    case Type::Kind::inline_enum:
      return std::string(inline_enum_name);
    case Type::Kind::named:
      return tmpl::to_case(type.name, tmpl::Case::pascal);
  }
  return {};
}

std::string sql_type(const Type& type, bool is_record, Dialect dialect) {
  const bool lite = dialect == Dialect::sqlite;
  switch (type.kind) {
    case Type::Kind::primitive:
      return sql_primitive(type.primitive, dialect);
    case Type::Kind::inline_enum:
      return "text";
    case Type::Kind::list:
      return lite ? "text" : "jsonb";
    case Type::Kind::named:
      return is_record ? (lite ? "text" : "jsonb") : "text";
  }
  return "text";
}

std::string member_initialiser(const Type& type, bool is_enum) {
  if (type.kind == Type::Kind::inline_enum || (type.kind == Type::Kind::named && is_enum))
    return "{}";
  if (type.kind != Type::Kind::primitive) return "";
  switch (type.primitive) {
    case Primitive::int32:
    case Primitive::int64:
      return " = 0";
    case Primitive::float64:
      return " = 0.0";
    case Primitive::boolean:
      return " = false";
    default:
      return "";
  }
}

std::string cpp_literal(const Type& type, const model::Value& value, std::string_view enum_cpp) {
  if (value.kind == model::Value::Kind::list) {
    std::string out = "{";
    for (const auto& item : value.items) {
      if (out.size() > 1) out += ", ";
      out += type.element ? cpp_literal(*type.element, item, enum_cpp) : "{}";
    }
    return out + "}";
  }
  if (value.kind != model::Value::Kind::scalar) return "{}";
  if (type.kind == Type::Kind::inline_enum || (type.kind == Type::Kind::named && !enum_cpp.empty()))
    return std::string(enum_cpp) + "::k" + tmpl::to_case(value.scalar, tmpl::Case::pascal);
  if (type.kind == Type::Kind::primitive && !value.quoted) {
    switch (type.primitive) {
      case Primitive::int32:
      case Primitive::int64:
      case Primitive::float64:
      case Primitive::boolean:
        return value.scalar;
      default:
        break;
    }
  }
  return tmpl::quote_cpp(value.scalar);
}

}  // namespace eskit::generate
