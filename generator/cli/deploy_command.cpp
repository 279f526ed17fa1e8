#include "deploy_command.hpp"

#include "eskit/deploy/plan.hpp"

namespace eskit::cli {

namespace {

const DerivedFiles& files() {
  static const DerivedFiles f{
      "deploy", "deploy",
      "Write Kubernetes (Kustomize), Docker and docker-compose deployment artifacts",
      "Writes kubernetes/base, kubernetes/overlays/{dev,prod}, kubernetes/topics.md, "
      "kubernetes/components/strimzi-topics, docker/<model>-<context>.Dockerfile and "
      "docker-compose.yaml (docs/deployment.md).",
      [](const model::Model& m) { return deploy::deploy_plan(m); }};
  return f;
}

}  // namespace

void add_deploy_command(CLI::App& app, DeployOptions& options) {
  add_derived_command(app, files(), options);
}

int run_deploy(const DeployOptions& options) { return run_derived(files(), options); }

}  // namespace eskit::cli
