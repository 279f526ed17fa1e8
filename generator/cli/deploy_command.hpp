// `eskit deploy MODEL`: write what it takes to run the system: Kustomize manifests, a
// Dockerfile per service and a docker-compose file (docs/deployment.md).
#pragma once

#include "derived_files.hpp"

namespace eskit::cli {

using DeployOptions = DerivedOptions;

void add_deploy_command(CLI::App& app, DeployOptions& options);

/// The exit status, as run_derived says.
int run_deploy(const DeployOptions& options);

}  // namespace eskit::cli
