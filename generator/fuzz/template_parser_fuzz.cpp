// libFuzzer target over the template parser and renderer. Any bytes must give a template or an
// error with a position inside the text, never a crash, a hang or a leak.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "eskit/template/template.hpp"

namespace {

const eskit::tmpl::Value& context() {
  using eskit::tmpl::List;
  using eskit::tmpl::Object;
  static const eskit::tmpl::Value value = Object{{"name", "OrderID"},
                                                 {"n", 3},
                                                 {"nothing", nullptr},
                                                 {"xs", List{"a", "b", List{}, Object{{"k", "v"}}}},
                                                 {"o", Object{{"name", "x"}, {"xs", List{1, 2}}}}};
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // Includes resolve to small fixed templates, one of which includes itself.
  eskit::tmpl::Environment env(eskit::tmpl::Environment::Sources{{"part", "[{{ name | snake }}]"},
                                                                 {"loop", "{% include 'loop' %}"}});
  auto compiled = env.compile("fuzz", text);
  if (!compiled) {
    const auto& where = compiled.error().where;
    if (where.name == "fuzz" && (where.line == 0 || where.line > size + 1)) std::abort();
    return 0;
  }
  auto out = eskit::tmpl::render(**compiled, context());
  (void)out;
  return 0;
}
