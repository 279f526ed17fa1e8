// `eskit diff OLD NEW`: what changed between two versions of a model and which changes break
// a consumer (docs/diff.md). OLD and NEW are files or `git:REF:PATH`.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace eskit::cli {

struct DiffOptions {
  std::string old_model;
  std::string new_model;
  std::string categories = "wire,http,flow,storage";
  std::string format = "text";
  bool breaking_only = false;
};

void add_diff_command(CLI::App& app, DiffOptions& options);

/// Returns the exit status: 0 no breaking change in the selected categories; 1 breaking
/// changes, or a model has errors; 2 the command line, a file or a git reference is wrong.
int run_diff(const DiffOptions& options);

}  // namespace eskit::cli
