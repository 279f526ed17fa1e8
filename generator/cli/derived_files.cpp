#include "derived_files.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <variant>

#include "eskit/generate/writer.hpp"
#include "eskit/model/load.hpp"

namespace eskit::cli {

namespace fs = std::filesystem;

std::shared_ptr<const model::Model> load_checked_model(const std::string& path,
                                                       const std::string& not_done, int& status) {
  auto source = model::read_source(path);
  if (auto* failure = std::get_if<model::ReadFailure>(&source)) {
    std::cerr << failure->message << '\n';
    status = 2;
    return nullptr;
  }
  model::Diagnostics diagnostics;
  auto m = model::load_model(std::get<0>(source), diagnostics);
  model::render(std::cerr, diagnostics.all(), model::ErrorFormat::text, false);
  if (diagnostics.has_errors() || !m) {
    std::cerr << path << ": " << not_done << ": fix the errors above first\n";
    status = 1;
    return nullptr;
  }
  return m;
}

void add_derived_command(CLI::App& app, const DerivedFiles& files, DerivedOptions& options) {
  auto* cmd = app.add_subcommand(files.command, files.description);
  cmd->add_option("model", options.model, "Model file (YAML)")->required();
  cmd->add_option("-o,--output", options.output,
                  "Output directory (default: " + files.folder + "/ next to the model)");
  cmd->add_flag("--check", options.check,
                "Write nothing; exit 1 and list every file that is stale, missing or no longer "
                "generated");
  cmd->add_flag("-q,--quiet", options.quiet, "Print only problems, no summary");
  cmd->footer(files.footer +
              "\nExit status: 0 done or up to date, 1 the model has errors or (--check) the "
              "output is out of date, 2 the command line or a file is wrong.");
}

int run_derived(const DerivedFiles& files, const DerivedOptions& options) {
  int status = 0;
  const auto m = load_checked_model(options.model, "nothing written", status);
  if (!m) return status;
  const fs::path root = options.output.empty()
                            ? fs::path(options.model).parent_path() / files.folder
                            : fs::path(options.output);
  if (std::error_code ec; fs::exists(root, ec) && !fs::is_directory(root, ec)) {
    std::cerr << root.string() << ": error: the output must be a directory (or not exist yet)\n";
    return 2;
  }

  const auto plan = files.plan(*m);
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
      // These files carry no stamp (JSON has no comments, an SVG comment shows in every
      // viewer's source), so a changed one is simply stale: they are regenerated, never edited.
      const bool changed = f.problem == generate::Problem::hand_edited;
      std::cerr << (root / f.path).string() << ": "
                << (changed ? "stale" : generate::spelling(f.problem)) << '\n';
    }
    if (!report.findings.empty()) {
      std::cerr << root.string() << ": " << report.findings.size()
                << " file(s) out of date; run eskit " << files.command << ' ' << options.model
                << '\n';
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
