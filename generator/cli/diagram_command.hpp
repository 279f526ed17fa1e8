// `eskit diagram MODEL`: draw the model's event-storming board and context map as SVG and
// Mermaid (docs/diagrams.md).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace eskit::cli {

struct DiagramOptions {
  std::string model;
  std::string output;  // default: <model's directory>/diagrams
  bool check = false;
  bool quiet = false;
};

void add_diagram_command(CLI::App& app, DiagramOptions& options);

/// Returns the exit status: 0 written (or, with --check, up to date); 1 the model has errors
/// or, with --check, a file is stale, missing or no longer generated; 2 the command line or a
/// file is wrong.
int run_diagram(const DiagramOptions& options);

}  // namespace eskit::cli
