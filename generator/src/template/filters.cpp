#include "filters.hpp"

#include <array>

#include "eskit/template/quote.hpp"

namespace eskit::tmpl::detail {

namespace {

// In the order of the Filter enumeration, so spec() is an index.
constexpr std::array<FilterSpec, 12> specs{{
    {"snake", Filter::snake, 0, 0},
    {"camel", Filter::camel, 0, 0},
    {"pascal", Filter::pascal, 0, 0},
    {"kebab", Filter::kebab, 0, 0},
    {"upper", Filter::upper, 0, 0},
    {"lower", Filter::lower, 0, 0},
    {"screaming", Filter::screaming, 0, 0},
    {"join", Filter::join, 0, 1},
    {"default", Filter::default_value, 1, 1},
    {"length", Filter::length, 0, 0},
    {"quote", Filter::quote, 0, 0},
    {"indent", Filter::indent, 1, 1},
}};

constexpr bool specs_in_order() {
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (static_cast<std::size_t>(specs[i].filter) != i) return false;
  }
  return true;
}
static_assert(specs_in_order());

// ASCII only, whatever the locale: generated identifiers must not depend on the machine. Bytes
// of UTF-8 sequences are letters without a case, so they stay inside words, unchanged.
enum class Class : std::uint8_t { separator, lower, upper, digit, uncased };

constexpr std::array<Class, 256> classes = [] {
  std::array<Class, 256> table{};
  for (int c = 'a'; c <= 'z'; ++c) table[static_cast<std::size_t>(c)] = Class::lower;
  for (int c = 'A'; c <= 'Z'; ++c) table[static_cast<std::size_t>(c)] = Class::upper;
  for (int c = '0'; c <= '9'; ++c) table[static_cast<std::size_t>(c)] = Class::digit;
  for (std::size_t c = 0x80; c < table.size(); ++c) table[c] = Class::uncased;
  return table;
}();

Class class_of(char c) { return classes[static_cast<unsigned char>(c)]; }
char to_upper(char c) { return class_of(c) == Class::lower ? static_cast<char>(c - 'a' + 'A') : c; }
char to_lower(char c) { return class_of(c) == Class::upper ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

const FilterSpec* find_filter(std::string_view name) {
  for (const auto& s : specs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const FilterSpec& spec(Filter filter) { return specs[static_cast<std::size_t>(filter)]; }

std::vector<std::string> filter_names() {
  std::vector<std::string> names;
  for (const auto& s : specs) names.emplace_back(s.name);
  return names;
}

void convert_case(std::string_view text, Filter style, std::string& out) {
  // Writes through a pointer into room made up front: at most one separator per byte.
  std::size_t base = out.size();
  out.resize(base + 2 * text.size());
  char* to = out.data() + base;
  if (style == Filter::upper || style == Filter::lower) {
    for (char c : text) *to++ = style == Filter::upper ? to_upper(c) : to_lower(c);
  } else {
    const char separator = style == Filter::kebab ? '-' : '_';
    const bool joined = style == Filter::camel || style == Filter::pascal;
    std::size_t words = 0;
    bool in_word = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
      Class c = class_of(text[i]);
      if (c == Class::separator) {
        in_word = false;
        continue;
      }
      bool starts = !in_word;
      if (in_word && c == Class::upper) {
        Class before = class_of(text[i - 1]);
        starts = before == Class::lower || before == Class::digit ||
                 (before == Class::upper && i + 1 < text.size() &&
                  class_of(text[i + 1]) == Class::lower);
      }
      bool capital = style == Filter::screaming;
      if (starts) {
        if (words > 0 && !joined) *to++ = separator;
        capital = capital || style == Filter::pascal || (style == Filter::camel && words > 0);
        ++words;
        in_word = true;
      }
      *to++ = capital ? to_upper(text[i]) : to_lower(text[i]);
    }
  }
  out.resize(static_cast<std::size_t>(to - out.data()));
}

void quote_cpp(std::string_view text, std::string& out) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
          // Octal, not \x: a hexadecimal escape would swallow the hex digits that follow.
          out += '\\';
          out += static_cast<char>('0' + (u >> 6));
          out += static_cast<char>('0' + ((u >> 3) & 7));
          out += static_cast<char>('0' + (u & 7));
        } else {
          out += c;
        }
      }
    }
  }
  out += '"';
}

void indent_lines(std::string_view text, std::size_t width, std::string& out) {
  std::size_t pos = 0;
  while (true) {
    std::size_t newline = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, newline == std::string_view::npos ? newline : newline - pos);
    if (pos > 0 && !line.empty()) out.append(width, ' ');
    out += line;
    if (newline == std::string_view::npos) return;
    out += '\n';
    pos = newline + 1;
  }
}

}  // namespace eskit::tmpl::detail

namespace eskit::tmpl {

std::string quote_cpp(std::string_view text) {
  std::string out;
  detail::quote_cpp(text, out);
  return out;
}

}  // namespace eskit::tmpl
