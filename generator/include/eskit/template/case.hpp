// The case conversions of the `snake`, `camel`, `pascal`, `kebab` and `screaming` filters, for
// code that builds names before a template sees them (a C++ type spelled from a model type), so
// a name is spelled the same whether a template or the generator wrote it.
#pragma once

#include <string>
#include <string_view>

namespace eskit::tmpl {

enum class Case { snake, camel, pascal, kebab, screaming };

/// `text` in `style`, split into words as docs/templates.md describes.
std::string to_case(std::string_view text, Case style);

}  // namespace eskit::tmpl
