// The JSON Schema of the model's types as they travel in JSON (what the generated services read
// and write, templates/cpp/json_support.hpp.tmpl): the one mapping OpenAPI, AsyncAPI and the
// event schema files share, so the three documents never disagree about a field.
//
//   string → string          int → integer int32     long → integer int64    double → number
//   decimal → string with a pattern (exact text)      bool → boolean
//   date → string date       datetime → string date-time                     uuid → string uuid
//   list<T> → array of T     enum[A, B] → string enum                        T? → [T, null]
//   a value object or enum of the context → a $ref to its definition
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eskit/model/model.hpp"

namespace eskit::contracts {

/// The pattern a decimal's text matches: an optional sign, digits, an optional fraction.
inline constexpr const char* decimal_pattern = "^-?[0-9]+(\\.[0-9]+)?$";

/// Builds schemas and remembers which value objects and enums they refer to, so a document
/// defines exactly those (and the ones they use in turn).
class SchemaBuilder {
 public:
  /// References read `<ref_prefix><key>`; the key is the type's name, or `<context>.<name>`
  /// with `qualify` (AsyncAPI documents, which carry the types of several contexts).
  SchemaBuilder(const model::Model& model, std::string ref_prefix, bool qualify);

  /// The schema of one value of `type`, written in `context`; `nullable` admits null as well.
  boost::json::object type(const model::Context& context, const model::Type& type, bool nullable);

  /// One field: its type's schema with the field's description and default.
  boost::json::object field(const model::Context& context, const model::Field& field);

  /// An object of `fields` (by their model names) minus `skip`; required are the fields that are
  /// neither `required: false` nor `T?`. Unknown members are allowed: readers ignore them, so a
  /// producer may add optional fields without a new version.
  boost::json::object object(const model::Context& context, const std::vector<model::Field>& fields,
                             const std::vector<std::string>& skip = {});

  /// The definitions of every type referred to so far, transitively, sorted by key.
  boost::json::object definitions();

  /// A model value (a default, an example) as the JSON the type gives it.
  boost::json::value value(const model::Context& context, const model::Type& type,
                           const model::Value& value) const;

 private:
  std::string key(const model::Context& context, const model::ValueType& type) const;
  boost::json::object definition(const model::Context& context, const model::ValueType& type);

  const model::Model& model_;
  std::string ref_prefix_;
  bool qualify_;
  // key -> (context, type); std::map keeps the definitions sorted.
  std::map<std::string, std::pair<const model::Context*, const model::ValueType*>> used_;
};

/// A description as prose: without the line break a YAML block scalar (`>`) leaves at its end.
std::string prose(std::string_view text);

/// "MakeCall" -> "Make call": a readable summary from a PascalCase name.
std::string words(std::string_view pascal);

}  // namespace eskit::contracts
