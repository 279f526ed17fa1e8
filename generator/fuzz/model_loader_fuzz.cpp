// libFuzzer target: any bytes as a model file must give diagnostics, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "eskit/model/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto source = std::make_shared<const eskit::model::SourceFile>(
      "fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  eskit::model::Diagnostics diagnostics;
  auto model = eskit::model::load_model(source, diagnostics);
  (void)model;
  return 0;
}
