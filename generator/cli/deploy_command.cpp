#include "deploy_command.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "eskit/deploy/plan.hpp"
#include "eskit/generate/writer.hpp"
#include "eskit/model/load.hpp"

namespace eskit::cli {

namespace fs = std::filesystem;

void add_deploy_command(CLI::App& app, DeployOptions& options) {
  auto* cmd = app.add_subcommand(
      "deploy", "Write Kubernetes (Kustomize), Docker and docker-compose deployment artifacts");
  cmd->add_option("model", options.model, "Model file (YAML)")->required();
  cmd->add_option("-o,--output", options.output,
                  "Output directory (default: deploy/ next to the model)");
  cmd->add_flag("--check", options.check,
                "Write nothing; exit 1 and list every file that is stale, missing or no longer "
                "generated");
  cmd->add_flag("-q,--quiet", options.quiet, "Print only problems, no summary");
  cmd->footer(
      "Writes kubernetes/base, kubernetes/overlays/{dev,prod}, kubernetes/topics.md, "
      "kubernetes/components/strimzi-topics, docker/<model>-<context>.Dockerfile and "
      "docker-compose.yaml (docs/deployment.md).\n"
      "Exit status: 0 done or up to date, 1 the model has errors or (--check) the output is out "
      "of date, 2 the command line or a file is wrong.");
}

int run_deploy(const DeployOptions& options) {
  auto source = model::read_source(options.model);
  if (auto* failure = std::get_if<model::ReadFailure>(&source)) {
    std::cerr << failure->message << '\n';
    return 2;
  }
  model::Diagnostics diagnostics;
  auto m = model::load_model(std::get<0>(source), diagnostics);
  model::render(std::cerr, diagnostics.all(), model::ErrorFormat::text, false);
  if (diagnostics.has_errors() || !m) {
    std::cerr << options.model << ": nothing written: fix the errors above first\n";
    return 1;
  }
  const fs::path root = options.output.empty() ? fs::path(options.model).parent_path() / "deploy"
                                               : fs::path(options.output);
  if (std::error_code ec; fs::exists(root, ec) && !fs::is_directory(root, ec)) {
    std::cerr << root.string() << ": error: the output must be a directory (or not exist yet)\n";
    return 2;
  }

  const auto plan = deploy::deploy_plan(*m);
  const auto mode = options.check ? generate::WriteMode::check : generate::WriteMode::write;
  generate::WriteReport report;
  try {
    report = generate::apply(plan, root, mode);
  } catch (const fs::filesystem_error& e) {
    std::cerr << e.path1().string() << ": error: " << e.code().message() << '\n';
    return 2;
  }

  if (mode == generate::WriteMode::check) {
    for (const auto& f : report.findings) {
      // Deployment files are always regenerated, never edited: a changed one is simply stale;
      // customisations belong in an overlay of one's own.
      const bool changed = f.problem == generate::Problem::hand_edited;
      std::cerr << (root / f.path).string() << ": "
                << (changed ? "stale" : generate::spelling(f.problem)) << '\n';
    }
    if (!report.findings.empty()) {
      std::cerr << root.string() << ": " << report.findings.size()
                << " file(s) out of date; run eskit deploy " << options.model << '\n';
      return 1;
    }
    if (!options.quiet) std::cout << root.string() << ": up to date\n";
    return 0;
  }
  if (!options.quiet) {
    for (const auto& p : report.written) std::cout << "wrote " << (root / p).string() << '\n';
    for (const auto& p : report.deleted) std::cout << "deleted " << (root / p).string() << '\n';
    std::cout << root.string() << ": " << report.written.size() << " written, "
              << report.deleted.size() << " deleted, " << report.unchanged << " unchanged\n";
  }
  return 0;
}

}  // namespace eskit::cli
