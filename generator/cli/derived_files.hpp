// What `eskit contracts`, `eskit diagram` and `eskit deploy` share: each turns the checked
// model into files that are always regenerated and never edited, written or checked (`--check`)
// by generate's writer into a folder next to the model.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "eskit/generate/plan.hpp"
#include "eskit/model/model.hpp"

namespace CLI {
class App;
}

namespace eskit::cli {

struct DerivedOptions {
  std::string model;
  std::string output;  // default: <model's directory>/<DerivedFiles::folder>
  bool check = false;
  bool quiet = false;
};

struct DerivedFiles {
  std::string command;      // `contracts`: for "run eskit contracts MODEL"
  std::string folder;       // the default output folder next to the model
  std::string description;  // of the command, for --help
  std::string footer;       // what it writes, for --help
  std::function<generate::Plan(const model::Model&)> plan;
};

/// The model at `path`, loaded and checked, with its diagnostics on stderr; null with
/// `status` set (1 errors, 2 unreadable) when there is none to use. `not_done` says what was
/// not done ("not generated").
std::shared_ptr<const model::Model> load_checked_model(const std::string& path,
                                                       const std::string& not_done, int& status);

void add_derived_command(CLI::App& app, const DerivedFiles& files, DerivedOptions& options);

/// Returns the exit status: 0 written (or, with --check, up to date); 1 the model has errors
/// or, with --check, a file is stale, missing or no longer generated; 2 the command line or a
/// file is wrong.
int run_derived(const DerivedFiles& files, const DerivedOptions& options);

}  // namespace eskit::cli
