// How a value of one generated field becomes a value of another: the C++ around copies the
// model states by name (an input field into the aggregate, an aggregate field into an event),
// where the two sides may differ in optionality, width or enum type.
#pragma once

#include <string>

#include "eskit/template/value.hpp"

namespace eskit::generate {

/// The C++ expression that turns `access`, a value of the field described by `from` (a field
/// of the context view: `value_cpp`, `optional`, `is_enum`), into a value for `to`. Throws
/// std::logic_error when the checker let through a pair that has no conversion.
std::string convert_field(const std::string& access, const tmpl::Object& from,
                          const tmpl::Object& to);

}  // namespace eskit::generate
