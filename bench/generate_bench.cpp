// `eskit generate` on the five examples and on synthetic models of three sizes. For each it
// prints the time to render the plan and write it into an empty directory, the time of a
// second, unchanged run and the files that run wrote (must be 0), next to the reference:
// loading and checking the same model, which every generation starts with, measured in the
// same run. The per-context cost of the sizes is printed as a ratio of the smallest's, which
// stays near 1.0 while generation grows linearly. Not a test: the ratios are what to read.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "eskit/generate/planner.hpp"
#include "eskit/generate/writer.hpp"
#include "eskit/model/load.hpp"
#include "eskit/template/builtin.hpp"
#include "synthetic_model.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Sample {
  std::string name;
  std::size_t contexts = 0;
  std::size_t files = 0;
  double load_ms = 0;    // read and check the model, which every generation starts with
  double render_ms = 0;  // render every template into the plan, in memory
  double write_ms = 0;   // apply the plan to an empty directory
  double raw_ms = 0;     // the reference: the same bytes written with plain ofstream
  double second_ms = 0;  // render + compare on an unchanged directory: nothing to write
  std::size_t second_written = 0;
};

std::shared_ptr<const eskit::model::Model> load(std::shared_ptr<const eskit::model::SourceFile> s) {
  eskit::model::Diagnostics diagnostics;
  auto model = eskit::model::load_model(std::move(s), diagnostics);
  if (!model || diagnostics.has_errors()) {
    std::fprintf(stderr, "the model is invalid (%zu errors)\n", diagnostics.error_count());
    std::exit(1);
  }
  return model;
}

// `previous`: the output directory of an earlier run, whose laid-out C++ is reused where the
// render is unchanged, as `eskit generate` does.
eskit::generate::Plan plan_of(const eskit::model::Model& model,
                              const fs::path* previous = nullptr) {
  eskit::tmpl::Environment templates(eskit::tmpl::builtin_templates());
  auto plan = eskit::generate::make_plan(model, templates, "model.yaml", previous);
  if (!plan) {
    std::fprintf(stderr, "%s\n", plan.error().to_string().c_str());
    std::exit(1);
  }
  return std::move(*plan);
}

void write_raw(const eskit::generate::Plan& plan, const fs::path& root) {
  for (const auto& f : plan.files) {
    fs::create_directories((root / f.path).parent_path());
    std::ofstream out(root / f.path, std::ios::binary);
    out.write(f.content.data(), static_cast<std::streamsize>(f.content.size()));
  }
}

Sample measure(const std::string& name, const std::string& text, const fs::path& scratch,
               int runs) {
  auto source = std::make_shared<const eskit::model::SourceFile>(name, text);
  Sample s;
  s.name = name;
  std::vector<double> load_ms, render_ms, write_ms, raw_ms, second_ms;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    auto model = load(source);
    load_ms.push_back(ms_since(start));
    s.contexts = model->contexts.size();

    start = Clock::now();
    eskit::generate::Plan plan = plan_of(*model);
    render_ms.push_back(ms_since(start));
    s.files = plan.files.size();

    const fs::path out = scratch / "eskit";
    const fs::path raw = scratch / "raw";
    // The reference runs before and after eskit's write, and the faster counts: whichever
    // writes first into a fresh tree pays the file system's warm-up.
    start = Clock::now();
    write_raw(plan, raw);
    double raw_before = ms_since(start);
    fs::remove_all(raw);
    start = Clock::now();
    eskit::generate::apply(plan, out, eskit::generate::WriteMode::write);
    write_ms.push_back(ms_since(start));
    start = Clock::now();
    write_raw(plan, raw);
    raw_ms.push_back(std::min(raw_before, ms_since(start)));

    start = Clock::now();
    auto again =
        eskit::generate::apply(plan_of(*model, &out), out, eskit::generate::WriteMode::write);
    second_ms.push_back(ms_since(start));
    s.second_written = std::max(s.second_written, again.written.size() + again.created.size());
    fs::remove_all(out);
    fs::remove_all(raw);
  }
  s.load_ms = median(load_ms);
  s.render_ms = median(render_ms);
  s.write_ms = median(write_ms);
  s.raw_ms = median(raw_ms);
  s.second_ms = median(second_ms);
  return s;
}

void header() {
  std::printf("%-14s %8s %6s %10s %10s %10s %10s %7s %10s %7s\n", "model", "contexts", "files",
              "load", "render", "write", "raw write", "/raw", "2nd run", "written");
}

void print(const Sample& s) {
  std::printf("%-14s %8zu %6zu %8.1fms %8.1fms %8.1fms %8.1fms x%-6.2f %8.1fms %7zu\n",
              s.name.c_str(), s.contexts, s.files, s.load_ms, s.render_ms, s.write_ms, s.raw_ms,
              s.write_ms / s.raw_ms, s.second_ms, s.second_written);
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path root = argc > 1 ? fs::path(argv[1]) : fs::path(ESKIT_SOURCE_DIR);
  const int runs = 5;
  char pattern[] = "/tmp/eskit-generate-bench-XXXXXX";
  if (!mkdtemp(pattern)) return 1;
  const fs::path scratch = pattern;

  std::printf(
      "generate, median of %d runs: load and check the model, render every template (in\n"
      "memory), write the files into an empty directory, then an unchanged second run (render\n"
      "and compare). The reference is writing the same bytes with plain ofstream, measured in\n"
      "the same run: /raw is eskit's write as a ratio of it, so a slow disk shows there.\n\n",
      runs);
  header();
  double examples_ms = 0;
  std::size_t examples_written = 0;
  for (const char* name : {"datecourse", "drivercall", "petcare", "rental", "tutoring"}) {
    std::ifstream in(root / "examples" / name / "model.yaml");
    std::ostringstream text;
    text << in.rdbuf();
    Sample s = measure(name, text.str(), scratch, runs);
    print(s);
    examples_ms += s.load_ms + s.render_ms;
    examples_written += s.second_written;
  }
  std::printf("goal: load + render of the five examples under 200 ms in all: %s (%.1f ms)\n",
              examples_ms < 200 ? "met" : "MISSED", examples_ms);

  std::printf("\n");
  header();
  std::vector<Sample> sizes;
  for (int contexts : {25, 50, 100}) {
    std::string text = eskit::bench::synthetic_model({contexts, 20, true});
    sizes.push_back(measure("synthetic-" + std::to_string(contexts), text, scratch, 3));
    print(sizes.back());
  }
  const Sample& small = sizes.front();
  const Sample& large = sizes.back();
  double growth = (large.render_ms / static_cast<double>(large.contexts)) /
                  (small.render_ms / static_cast<double>(small.contexts));
  const double large_ms = large.load_ms + large.render_ms;
  std::printf("goal: load + render of 100 contexts under 2000 ms: %s (%.0f ms)\n",
              large_ms < 2000 ? "met" : "MISSED", large_ms);
  std::printf("linear growth: per-context render cost of the largest is x%.2f the smallest's\n",
              growth);
  std::size_t written = examples_written;
  for (const auto& s : sizes) written += s.second_written;
  std::printf("files written by unchanged second runs: %zu (must be 0)\n", written);
  fs::remove_all(scratch);
  return written == 0 ? 0 : 1;
}
