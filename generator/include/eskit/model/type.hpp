// Field types, as written in the model (`long`, `list<Money>`, `enum[CARD, CASH]`, `string?`).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "eskit/model/source.hpp"

namespace eskit::model {

enum class Primitive { string, int32, int64, float64, decimal, boolean, date, datetime, uuid };

struct Type;
using TypePtr = std::shared_ptr<const Type>;

/// A parsed type expression. `named` types refer to a value object or enum of the context;
/// the checker resolves them.
struct Type {
  enum class Kind { primitive, list, inline_enum, named };

  Kind kind = Kind::primitive;
  Primitive primitive = Primitive::string;  // kind == primitive
  TypePtr element;                          // kind == list
  std::vector<std::string> enum_values;     // kind == inline_enum
  std::string name;                         // kind == named
  bool optional = false;                    // written `T?`

  /// The type as the model writes it, e.g. `list<Money>`.
  std::string spelling() const;
};

/// The spelling of a primitive in the model language (`long`, `datetime`, ...).
const char* spelling(Primitive p);

/// Parses a type expression. On failure returns nullopt and sets `error_column` (0-based
/// offset into `text`) and `error_message`.
std::optional<TypePtr> parse_type(const std::string& text, std::size_t& error_column,
                                  std::string& error_message);

}  // namespace eskit::model
