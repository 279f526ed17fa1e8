// The filters of `{{ value | filter(args) }}`: their names and arities, checked when a template
// is parsed, and the text transformations behind them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ast.hpp"

namespace eskit::tmpl::detail {

struct FilterSpec {
  std::string_view name;
  Filter filter;
  std::uint8_t min_args;
  std::uint8_t max_args;
};

/// The filter called `name`, or nullptr.
const FilterSpec* find_filter(std::string_view name);
const FilterSpec& spec(Filter filter);
std::vector<std::string> filter_names();

/// Appends `text` in the case `style` (one of the case filters). Words break at anything that
/// is not a letter or digit, before an upper-case letter that follows a lower-case letter or a
/// digit, and before the last capital of an acronym that starts a word (`HTTPServer`).
void convert_case(std::string_view text, Filter style, std::string& out);

/// Appends `text` as a C++ string literal, quotes included.
void quote_cpp(std::string_view text, std::string& out);

/// Appends `text` with `width` spaces before every line but the first; blank lines stay empty,
/// so the output has no trailing whitespace.
void indent_lines(std::string_view text, std::size_t width, std::string& out);

}  // namespace eskit::tmpl::detail
