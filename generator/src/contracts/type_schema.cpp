#include "eskit/contracts/type_schema.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <stdexcept>

namespace eskit::contracts {

namespace json = boost::json;
using model::Primitive;
using model::Type;

namespace {

json::object primitive(Primitive p) {
  switch (p) {
    case Primitive::string:
      return {{"type", "string"}};
    case Primitive::int32:
      return {{"type", "integer"}, {"format", "int32"}};
    case Primitive::int64:
      return {{"type", "integer"}, {"format", "int64"}};
    case Primitive::float64:
      return {{"type", "number"}, {"format", "double"}};
    case Primitive::decimal:
      // Exact decimals travel as their text: a JSON number would round them through a double.
      return {{"type", "string"}, {"pattern", decimal_pattern}};
    case Primitive::boolean:
      return {{"type", "boolean"}};
    case Primitive::date:
      return {{"type", "string"}, {"format", "date"}};
    case Primitive::datetime:
      return {{"type", "string"}, {"format", "date-time"}};
    case Primitive::uuid:
      return {{"type", "string"}, {"format", "uuid"}};
  }
  return {{"type", "string"}};
}

/// `schema` or null. A single `type` becomes a pair with "null" (and an enum admits null too);
/// a reference is wrapped, since 2020-12 cannot add a type to a $ref.
json::object with_null(json::object schema) {
  if (auto* type = schema.if_contains("type"); type && type->is_string()) {
    *type = json::array{*type, "null"};
    if (auto* values = schema.if_contains("enum")) values->as_array().push_back(nullptr);
    return schema;
  }
  return {{"anyOf", json::array{std::move(schema), json::object{{"type", "null"}}}}};
}

bool optional(const model::Field& f) { return !f.required || (f.type && f.type->optional); }

}  // namespace

SchemaBuilder::SchemaBuilder(const model::Model& model, std::string ref_prefix, bool qualify)
    : model_(model), ref_prefix_(std::move(ref_prefix)), qualify_(qualify) {}

std::string SchemaBuilder::key(const model::Context& context, const model::ValueType& type) const {
  return qualify_ ? context.name + "." + type.name : type.name;
}

json::object SchemaBuilder::type(const model::Context& context, const Type& t, bool nullable) {
  json::object out;
  switch (t.kind) {
    case Type::Kind::primitive:
      out = primitive(t.primitive);
      break;
    case Type::Kind::list:
      out = {{"type", "array"},
             {"items", t.element ? type(context, *t.element, false) : json::object{}}};
      break;
    case Type::Kind::inline_enum: {
      json::array values;
      for (const auto& v : t.enum_values) values.emplace_back(v);
      out = {{"type", "string"}, {"enum", std::move(values)}};
      break;
    }
    case Type::Kind::named: {
      const model::ValueType* named = context.find_type(t.name);
      if (named == nullptr) {
        throw std::logic_error("contracts: " + context.name + " has no type " + t.name);
      }
      const std::string k = key(context, *named);
      used_.emplace(k, std::make_pair(&context, named));
      out = {{"$ref", ref_prefix_ + k}};
      break;
    }
  }
  return nullable ? with_null(std::move(out)) : out;
}

json::object SchemaBuilder::field(const model::Context& context, const model::Field& f) {
  json::object out = type(context, *f.type, optional(f));
  if (!prose(f.description).empty()) out["description"] = prose(f.description);
  if (f.default_value) out["default"] = value(context, *f.type, *f.default_value);
  return out;
}

json::object SchemaBuilder::object(const model::Context& context,
                                   const std::vector<model::Field>& fields,
                                   const std::vector<std::string>& skip) {
  json::object properties;
  json::array required;
  for (const auto& f : fields) {
    if (std::find(skip.begin(), skip.end(), f.name) != skip.end()) continue;
    properties[f.name] = field(context, f);
    if (!optional(f)) required.emplace_back(f.name);
  }
  json::object out{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) out["required"] = std::move(required);
  return out;
}

json::object SchemaBuilder::definition(const model::Context& context, const model::ValueType& t) {
  json::object out;
  if (t.is_enum) {
    json::array values;
    for (const auto& v : t.enum_values) values.emplace_back(v.value);
    out = {{"type", "string"}, {"enum", std::move(values)}};
  } else {
    out = object(context, t.fields);
  }
  if (!prose(t.description).empty()) out["description"] = prose(t.description);
  return out;
}

json::object SchemaBuilder::definitions() {
  // Building a definition may refer to further types; go on until nothing new turns up.
  std::map<std::string, json::object> built;
  for (bool grew = true; grew;) {
    grew = false;
    const auto snapshot = used_;
    for (const auto& [k, where] : snapshot) {
      if (built.count(k)) continue;
      built.emplace(k, definition(*where.first, *where.second));
      grew = true;
    }
  }
  json::object out;
  for (auto& [k, schema] : built) out[k] = std::move(schema);
  return out;
}

json::value SchemaBuilder::value(const model::Context& context, const Type& t,
                                 const model::Value& v) const {
  switch (v.kind) {
    case model::Value::Kind::null:
      return nullptr;
    case model::Value::Kind::list: {
      json::array items;
      for (const auto& item : v.items)
        items.push_back(t.element ? value(context, *t.element, item) : json::value(item.scalar));
      return items;
    }
    case model::Value::Kind::map: {
      const model::ValueType* named =
          t.kind == Type::Kind::named ? context.find_type(t.name) : nullptr;
      json::object out;
      for (const auto& entry : v.entries) {
        const model::Field* f = nullptr;
        if (named) {
          for (const auto& candidate : named->fields)
            if (candidate.name == entry.key.value) f = &candidate;
        }
        out[entry.key.value] =
            f ? value(context, *f->type, entry.value) : json::value(entry.value.scalar);
      }
      return out;
    }
    case model::Value::Kind::scalar:
      break;
  }
  const std::string& text = v.scalar;
  if (t.kind == Type::Kind::primitive && !v.quoted) {
    if (t.primitive == Primitive::int32 || t.primitive == Primitive::int64) {
      long long n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec == std::errc{} && end == text.data() + text.size()) return n;
    }
    if (t.primitive == Primitive::float64) {
      try {
        std::size_t used = 0;
        const double d = std::stod(text, &used);
        if (used == text.size()) return d;
      } catch (const std::exception&) {
      }
    }
    if (t.primitive == Primitive::boolean && (text == "true" || text == "false"))
      return text == "true";
  }
  return json::value(text);
}

std::string prose(std::string_view text) {
  const auto end = text.find_last_not_of(" \t\r\n");
  return end == std::string_view::npos ? std::string() : std::string(text.substr(0, end + 1));
}

std::string words(std::string_view pascal) {
  std::string out;
  for (std::size_t i = 0; i < pascal.size(); ++i) {
    const char ch = pascal[i];
    const bool upper = std::isupper(static_cast<unsigned char>(ch)) != 0;
    // A capital starts a word unless it continues an acronym ("GetURL" stays "Get URL").
    const bool next_lower =
        i + 1 < pascal.size() && std::islower(static_cast<unsigned char>(pascal[i + 1])) != 0;
    const bool prev_upper = i > 0 && std::isupper(static_cast<unsigned char>(pascal[i - 1])) != 0;
    if (i > 0 && upper && (!prev_upper || next_lower)) out += ' ';
    const bool acronym = upper && (prev_upper || (i + 1 < pascal.size() && !next_lower));
    out += (i > 0 && upper && !acronym)
               ? static_cast<char>(std::tolower(static_cast<unsigned char>(ch)))
               : ch;
  }
  return out;
}

}  // namespace eskit::contracts
