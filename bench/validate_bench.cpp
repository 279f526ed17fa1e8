// `eskit validate` on synthetic models of three sizes. For each it prints the time, the time
// yaml-cpp alone takes to read the same text (the reference: no validator can be faster than
// the parser it stands on), and the cost per aggregate as a ratio of the smallest size's,
// which stays near 1.0 while validation grows linearly. Not a test: the ratios are what to read.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <thread>

#include "eskit/model/load.hpp"
#include "synthetic_model.hpp"

namespace {

struct Sample {
  int contexts;
  int aggregates;
  std::size_t bytes;
  double median_ms;
  double best_ms;
  double yaml_ms;  // yaml-cpp reading the same text into nothing
};

// Receives yaml-cpp's events and keeps nothing: the floor under any yaml-cpp-based loader.
struct Discard : YAML::EventHandler {
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

template <typename F>
double median_ms(int runs, F run) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    run();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

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
  double yaml = median_ms(runs, [&] {
    std::istringstream in(text);
    YAML::Parser parser(in);
    Discard discard;
    while (parser.HandleNextDocument(discard)) {
    }
  });
  return Sample{size.contexts, size.contexts * size.aggregates_per_context,
                text.size(),   ms[ms.size() / 2],
                ms.front(),    yaml};
}

void report(const char* profile, bool rich, int runs) {
  std::vector<Sample> samples;
  for (int contexts : {25, 50, 100}) samples.push_back(measure({contexts, 20, rich}, runs));
  std::printf("\n%s profile\n", profile);
  std::printf("%9s %11s %9s %11s %9s %14s %16s\n", "contexts", "aggregates", "size", "median",
              "best", "yaml-cpp alone", "per-aggregate");
  const Sample& base = samples.front();
  double base_per = base.median_ms / base.aggregates;
  for (const auto& s : samples) {
    double per = s.median_ms / s.aggregates;
    std::printf("%9d %11d %7.1fMB %9.1fms %7.1fms %7.1fms x%.2f %9.1fus x%.2f\n", s.contexts,
                s.aggregates, static_cast<double>(s.bytes) / (1 << 20), s.median_ms, s.best_ms,
                s.yaml_ms, s.median_ms / s.yaml_ms, per * 1000.0, per / base_per);
  }
  const Sample& largest = samples.back();
  std::printf("goal: 100 contexts / 2000 aggregates under 1000 ms: %s (%.0f ms)\n",
              largest.median_ms < 1000 ? "met" : "MISSED", largest.median_ms);
  std::printf("linear growth: per-aggregate cost of the largest is x%.2f the smallest's\n",
              (largest.median_ms / largest.aggregates) / base_per);
  std::printf(
      "yaml-cpp alone reads the largest at %.1f MB/s on one core; eskit parses its contexts\n"
      "on all %u cores, then reads and checks the model: x%.2f of yaml-cpp alone\n",
      static_cast<double>(largest.bytes) / (1 << 20) / (largest.yaml_ms / 1000),
      std::max(1u, std::thread::hardware_concurrency()), largest.median_ms / largest.yaml_ms);
}

}  // namespace

int main() {
  const int runs = 7;
  std::printf(
      "validate (parse + check) of synthetic models, median of %d runs; the reference is\n"
      "yaml-cpp reading the same text into nothing, measured in the same run\n",
      runs);
  report("lean (2 commands, 2 events, 1 policy, 1 projection per aggregate)", false, runs);
  report(
      "rich (3 commands with preconditions and examples, 3 events, 1 policy, 2 projections "
      "per aggregate)",
      true, runs);
  return 0;
}
