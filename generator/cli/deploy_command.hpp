// `eskit deploy MODEL`: write the deployment artifacts (Kustomize base and overlays,
// Dockerfiles, docker-compose; docs/deployment.md).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace eskit::cli {

struct DeployOptions {
  std::string model;
  std::string output;  // default: <model's directory>/deploy
  bool check = false;
  bool quiet = false;
};

void add_deploy_command(CLI::App& app, DeployOptions& options);

/// Returns the exit status: 0 written (or, with --check, up to date); 1 the model has errors
/// or, with --check, a file is stale, missing or no longer generated; 2 the command line or a
/// file is wrong.
int run_deploy(const DeployOptions& options);

}  // namespace eskit::cli
