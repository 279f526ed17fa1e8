#include "cpp_format.hpp"

#include <clang/Basic/Version.h>
#include <clang/Format/Format.h>
#include <clang/Tooling/Core/Replacement.h>

#include <stdexcept>

namespace eskit::generate {

namespace {

// The repository's .clang-format, which the checked-in examples are held to.
constexpr std::string_view style_text = R"(BasedOnStyle: Google
ColumnLimit: 100
DerivePointerAlignment: false
PointerAlignment: Left
IncludeBlocks: Preserve
)";

const clang::format::FormatStyle& style() {
  static const clang::format::FormatStyle parsed = [] {
    clang::format::FormatStyle s =
        clang::format::getGoogleStyle(clang::format::FormatStyle::LK_Cpp);
    if (const std::error_code error = clang::format::parseConfiguration(
            llvm::StringRef(style_text.data(), style_text.size()), &s)) {
      throw std::logic_error("eskit's clang-format style does not parse: " + error.message());
    }
    return s;
  }();
  return parsed;
}

}  // namespace

const std::string& format_identity() {
  static const std::string identity = clang::getClangFullVersion() + "\n" + std::string(style_text);
  return identity;
}

bool is_cpp(std::string_view path) { return path.ends_with(".hpp") || path.ends_with(".cpp"); }

namespace {

/// `code` with `changes` applied, or as it was if they do not apply.
std::string applied(const std::string& code, const clang::tooling::Replacements& changes) {
  llvm::Expected<std::string> result = clang::tooling::applyAllReplacements(code, changes);
  if (!result) {
    llvm::consumeError(result.takeError());
    return code;
  }
  return std::move(*result);
}

std::vector<clang::tooling::Range> whole(const std::string& code) {
  return {clang::tooling::Range(0, static_cast<unsigned>(code.size()))};
}

}  // namespace

std::string format_cpp(const std::string& code, std::string_view path) {
  // As the clang-format command does: includes sorted first, then the layout.
  const llvm::StringRef name(path.data(), path.size());
  const std::string sorted =
      applied(code, clang::format::sortIncludes(style(), code, whole(code), name));
  return applied(sorted, clang::format::reformat(style(), sorted, whole(sorted), name));
}

}  // namespace eskit::generate
