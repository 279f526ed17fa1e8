// C++ string literals for generated code: what the `quote` filter writes, for the generator's
// own C++ (initialisers, expressions) so one escaper serves both.
#pragma once

#include <string>
#include <string_view>

namespace eskit::tmpl {

/// `text` as a C++ string literal: `say "hi"` becomes `"say \"hi\""`, control bytes octal.
std::string quote_cpp(std::string_view text);

}  // namespace eskit::tmpl
