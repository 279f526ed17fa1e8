// `eskit validate` on synthetic models of three sizes: prints the time for each, and each
// size's cost per aggregate as a ratio of the smallest one's, which stays near 1.0 while
// validation grows linearly. Not a test: figures vary by machine; the ratios are what to read.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "eskit/model/load.hpp"
#include "synthetic_model.hpp"

namespace {

struct Sample {
  int contexts;
  int aggregates;
  std::size_t bytes;
  double median_ms;
  double best_ms;
};

Sample measure(eskit::bench::ModelSize size, int runs) {
  std::string text = eskit::bench::synthetic_model(size);
  auto source = std::make_shared<const eskit::model::SourceFile>("synthetic.yaml", text);
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    eskit::model::Diagnostics diagnostics;
    auto start = std::chrono::steady_clock::now();
    auto model = eskit::model::load_model(source, diagnostics);
    auto end = std::chrono::steady_clock::now();
    if (!model || diagnostics.has_errors()) {
      std::fprintf(stderr, "the synthetic model is invalid (%zu errors); first: %s:%u: %s\n",
                   diagnostics.error_count(), "synthetic.yaml",
                   diagnostics.all().empty() ? 0u : diagnostics.all()[0].where.line,
                   diagnostics.all().empty() ? "" : diagnostics.all()[0].message.c_str());
      std::exit(1);
    }
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return Sample{size.contexts, size.contexts * size.aggregates_per_context, text.size(),
                ms[ms.size() / 2], ms.front()};
}

}  // namespace

int main() {
  const int runs = 7;
  std::vector<Sample> samples;
  for (int contexts : {25, 50, 100}) samples.push_back(measure({contexts, 20}, runs));
  std::printf("validate (parse + check) of synthetic models, median of %d runs\n\n", runs);
  std::printf("%9s %11s %9s %11s %9s %16s\n", "contexts", "aggregates", "size", "median", "best",
              "per-aggregate");
  const Sample& base = samples.front();
  double base_per = base.median_ms / base.aggregates;
  for (const auto& s : samples) {
    double per = s.median_ms / s.aggregates;
    std::printf("%9d %11d %7.1fMB %9.1fms %7.1fms %9.1fus x%.2f\n", s.contexts, s.aggregates,
                static_cast<double>(s.bytes) / (1 << 20), s.median_ms, s.best_ms, per * 1000.0,
                per / base_per);
  }
  const Sample& largest = samples.back();
  std::printf("\ngoal: 100 contexts / 2000 aggregates under 1000 ms: %s (%.0f ms)\n",
              largest.median_ms < 1000 ? "met" : "MISSED", largest.median_ms);
  std::printf("linear growth: per-aggregate cost of the largest is x%.2f the smallest's\n",
              (largest.median_ms / largest.aggregates) / base_per);
  return 0;
}
