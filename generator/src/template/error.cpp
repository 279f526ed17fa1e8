#include <algorithm>

#include "ast.hpp"

namespace eskit::tmpl {

namespace {

// A name alone when there is no line: a template that does not exist has no positions.
std::string position(const Position& p) {
  if (p.line == 0) return p.name;
  return p.name + ':' + std::to_string(p.line) + ':' + std::to_string(p.column);
}

}  // namespace

std::string Error::to_string() const {
  std::string out = position(where) + ": error: " + message + '\n';
  if (!source_line.empty()) {
    out += "  " + source_line + "\n  ";
    // Tabs stay tabs so the caret lines up under the offending byte.
    for (std::size_t i = 0; i + 1 < where.column && i < source_line.size(); ++i) {
      out += source_line[i] == '\t' ? '\t' : ' ';
    }
    out += "^\n";
  }
  if (!hint.empty()) out += "  note: " + hint + '\n';
  for (const Position& p : included_from) out += "  note: included from " + position(p) + '\n';
  return out;
}

namespace detail {

Error make_error(const std::string& name, std::string_view source, std::size_t offset,
                 std::string message, std::string hint) {
  offset = std::min(offset, source.size());
  std::size_t line_begin = offset == 0 ? 0 : source.rfind('\n', offset - 1);
  line_begin = line_begin == std::string_view::npos || offset == 0 ? 0 : line_begin + 1;
  std::size_t line_end = std::min(source.find('\n', line_begin), source.size());
  if (line_end > line_begin && source[line_end - 1] == '\r') --line_end;

  Error e;
  e.where.name = name;
  e.where.line = static_cast<std::uint32_t>(
      1 + std::count(source.begin(), source.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
  e.where.column = static_cast<std::uint32_t>(offset - line_begin + 1);
  e.message = std::move(message);
  e.hint = std::move(hint);
  e.source_line = source.substr(line_begin, line_end - line_begin);
  return e;
}

}  // namespace detail

}  // namespace eskit::tmpl
