// libFuzzer target over the model loader. Any bytes must give diagnostics, never a crash, a
// hang or a leak; and the parallel parse of contexts must agree with the one-pass parse.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "eskit/model/load.hpp"
#include "yaml_tree.hpp"

namespace {

bool same(const eskit::model::yaml::Node& a, const eskit::model::yaml::Node& b) {
  if (a.kind != b.kind || a.value != b.value || a.quoted != b.quoted ||
      a.where.line != b.where.line || a.where.column != b.where.column ||
      a.items.size() != b.items.size() || a.entries.size() != b.entries.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    if (!same(*a.items[i], *b.items[i])) return false;
  }
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    if (!same(*a.entries[i].first, *b.entries[i].first) ||
        !same(*a.entries[i].second, *b.entries[i].second)) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto source = std::make_shared<const eskit::model::SourceFile>(
      "fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size));
  eskit::model::Diagnostics diagnostics;
  auto model = eskit::model::load_model(source, diagnostics);
  (void)model;

  eskit::model::Diagnostics whole_found, split_found;
  auto whole = eskit::model::yaml::parse(source, whole_found, static_cast<std::size_t>(-1));
  auto split = eskit::model::yaml::parse(source, split_found, 0);
  // Where one pass reads the file cleanly, the cut-up parse must read the same tree.
  if (whole && !whole_found.has_errors() &&
      (!split || split_found.has_errors() || !same(*whole, *split))) {
    std::abort();
  }
  return 0;
}
