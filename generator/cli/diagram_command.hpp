// `eskit diagram MODEL`: draw the model's event-storming board and context map as SVG and
// Mermaid (docs/diagrams.md).
#pragma once

#include "derived_files.hpp"

namespace eskit::cli {

using DiagramOptions = DerivedOptions;

void add_diagram_command(CLI::App& app, DiagramOptions& options);

/// The exit status, as run_derived says.
int run_diagram(const DiagramOptions& options);

}  // namespace eskit::cli
