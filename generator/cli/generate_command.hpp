// `eskit generate MODEL`: write the services of a model, keeping hand-written files apart from
// generated ones (docs/generate.md).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace eskit::cli {

struct GenerateOptions {
  std::string model;
  std::string output;     // default: the model's directory
  std::string templates;  // a directory whose files replace built-in templates of the same name
  bool check = false;
  bool dry_run = false;
  bool quiet = false;
};

void add_generate_command(CLI::App& app, GenerateOptions& options);

/// Returns the exit status: 0 done (or, with --check, up to date); 1 the model has errors or,
/// with --check, the output is not what generation would write; 2 the command line, a file or
/// a template is wrong.
int run_generate(const GenerateOptions& options);

}  // namespace eskit::cli
