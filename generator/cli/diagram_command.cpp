#include "diagram_command.hpp"

#include "eskit/diagram/plan.hpp"

namespace eskit::cli {

namespace {

const DerivedFiles& files() {
  static const DerivedFiles f{
      "diagram", "diagrams",
      "Draw the model: the event-storming board and the context map (SVG, Mermaid)",
      "Writes board.svg, board.mmd, context-map.svg and context-map.mmd (docs/diagrams.md).",
      [](const model::Model& m) { return diagram::diagram_plan(m); }};
  return f;
}

}  // namespace

void add_diagram_command(CLI::App& app, DiagramOptions& options) {
  add_derived_command(app, files(), options);
}

int run_diagram(const DiagramOptions& options) { return run_derived(files(), options); }

}  // namespace eskit::cli
