// Generated C++ is laid out by clang-format's own library (LLVM 14, linked into eskit) with
// eskit's style, so every file is clang-format clean however long the model's names are, and
// the bytes depend on the eskit build, never on the tools installed where it runs.
#pragma once

#include <string>
#include <string_view>

namespace eskit::generate {

/// Whether `path` is C++ that format_cpp lays out (.hpp, .cpp).
bool is_cpp(std::string_view path);

/// What decides the layout besides the code: the formatter's version and eskit's style. A
/// layout recorded under another identity is not reused.
const std::string& format_identity();

/// `code` formatted in eskit's style (Google at 100 columns, the repository's .clang-format).
/// Text clang-format cannot parse comes back as it was.
std::string format_cpp(const std::string& code, std::string_view path);

}  // namespace eskit::generate
