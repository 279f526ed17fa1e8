// A model's source text and positions in it. Every element of the model keeps the
// position it came from, so each later stage can report `path:line:col`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace eskit::model {

/// The text of one model file, kept alive for diagnostics (source lines and carets).
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  /// The 1-based line `line` without its line break; empty if out of range.
  std::string_view line(std::uint32_t line) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<std::size_t> line_starts_;
};

/// A position in a source file: 1-based line and column (columns count bytes).
struct Location {
  std::shared_ptr<const SourceFile> file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  bool known() const { return file != nullptr && line > 0; }
  /// The same file, `columns` bytes further right on the same line.
  Location shifted(std::uint32_t columns) const {
    Location l = *this;
    l.column += columns;
    return l;
  }
};

}  // namespace eskit::model
