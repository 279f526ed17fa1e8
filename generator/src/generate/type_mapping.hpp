// How a model type is spelled in generated C++ and SQL. Enums written inline (`enum[A, B]`)
// have no name in the model; the generator names them after their owner and field
// (`Pay.method` becomes `PayMethod`), and the caller passes that name in.
#pragma once

#include <string>
#include <string_view>

#include "eskit/model/model.hpp"
#include "eskit/model/type.hpp"

namespace eskit::generate {

enum class Dialect { sqlite, postgresql };

/// The C++ type of a value of `type`, without the std::optional an optional field adds.
/// `inline_enum_name` is the C++ name for an inline enum anywhere inside `type`.
std::string cpp_type(const model::Type& type, std::string_view inline_enum_name);

/// The column type in `dialect`. Lists and value objects are stored as JSON text: they belong
/// to the row and are never queried apart from it.
std::string sql_type(const model::Type& type, bool is_record, Dialect dialect);

/// The member initialiser that keeps a default-constructed struct free of indeterminate values
/// (`= 0`, `= false`, `{}`), or "" for class types, which initialise themselves.
std::string member_initialiser(const model::Type& type, bool is_enum);

/// A C++ initialiser for `value` (a default from the model) of `type`: `"kangnam"`, `42`,
/// `{"a", "b"}`; `enum_cpp` names the enum of an enum value.
std::string cpp_literal(const model::Type& type, const model::Value& value,
                        std::string_view enum_cpp = {});

}  // namespace eskit::generate
