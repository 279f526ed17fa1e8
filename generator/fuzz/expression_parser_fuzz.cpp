// libFuzzer target over the model's two embedded languages: expressions (`status == OPEN and
// amount >= 5000`), types (`list<map<string, Money>>`) and durations (`680ms`). Any text must
// parse or fail with a column inside it, never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "eskit/model/expr.hpp"
#include "eskit/model/type.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::size_t column = 0;
  std::string message;
  if (!eskit::model::parse_expression(text, column, message) &&
      (column > text.size() || message.empty()))
    std::abort();  // a diagnostic must point into the text and say something
  column = 0;
  message.clear();
  if (!eskit::model::parse_type(text, column, message) && (column > text.size() || message.empty()))
    std::abort();
  if (const auto ms = eskit::model::parse_duration_ms(text); ms && *ms < 0) std::abort();
  return 0;
}
