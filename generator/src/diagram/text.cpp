#include "eskit/diagram/text.hpp"

#include <cctype>

namespace eskit::diagram {

namespace {

// Advance in thousandths of an em, above what DejaVu Sans, Verdana, Arial or Helvetica need
// for the glyph class, so the estimate only ever errs on the wide side.
int glyph_milli_em(unsigned char c) {
  if (c == 'M' || c == 'W' || c == 'm' || c == 'w') return 1000;
  if (std::isupper(c)) return 800;
  if (c == 'i' || c == 'j' || c == 'l' || c == 't' || c == 'f' || c == 'r' || c == ' ' ||
      c == '.' || c == ',' || c == ':' || c == '(' || c == ')')
    return 450;
  if (std::islower(c)) return 650;
  if (std::isdigit(c)) return 680;
  return 1000;  // punctuation and any byte of a multi-byte character
}

}  // namespace

int text_width(std::string_view text) {
  int milli = 0;
  for (const char c : text) milli += glyph_milli_em(static_cast<unsigned char>(c));
  return (milli * font_size + 999) / 1000;
}

std::vector<std::string> split_words(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const auto prev = i > 0 ? static_cast<unsigned char>(name[i - 1]) : 0;
    const auto next = i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) : 0;
    if (c == ' ' || c == '_' || c == '-') {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
      continue;
    }
    const bool boundary =
        std::isupper(c) && !current.empty() &&
        (std::islower(prev) || std::isdigit(prev) || (std::isupper(prev) && std::islower(next)));
    if (boundary) {
      words.push_back(std::move(current));
      current.clear();
    }
    current += static_cast<char>(c);
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::vector<std::string> wrap(std::string_view name, int max_width) {
  std::vector<std::string> lines;
  std::string line;
  auto flush = [&] {
    if (!line.empty()) lines.push_back(std::move(line));
    line.clear();
  };
  for (auto word : split_words(name)) {
    const std::string joined = line.empty() ? word : line + " " + word;
    if (text_width(joined) <= max_width) {
      line = joined;
      continue;
    }
    flush();
    // A word too wide for a line of its own is cut wherever the line is full.
    while (text_width(word) > max_width) {
      std::size_t n = 1;
      while (n < word.size() && text_width(word.substr(0, n + 1)) <= max_width) ++n;
      lines.push_back(word.substr(0, n));
      word.erase(0, n);
    }
    line = word;
  }
  flush();
  return lines;
}

}  // namespace eskit::diagram
