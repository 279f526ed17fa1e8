#include "validate_command.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "eskit/model/load.hpp"

namespace eskit::cli {

void add_validate_command(CLI::App& app, ValidateOptions& options) {
  auto* cmd = app.add_subcommand("validate", "Check models and report every error and warning");
  cmd->add_option("files", options.files, "Model files (YAML)")->required();
  cmd->add_option("--error-format", options.format,
                  "How to print diagnostics: text (for people), json (for tools), github "
                  "(workflow annotations)")
      ->check(CLI::IsMember({"text", "json", "github"}))
      ->capture_default_str();
  cmd->add_option("--color", options.color, "Colour text diagnostics: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_flag("--werror", options.werror, "Treat warnings as errors");
  cmd->add_flag("-q,--quiet", options.quiet, "Print only diagnostics, no summary");
  cmd->footer(
      "Exit status: 0 every model is valid, 1 a model has errors, 2 a file could not be read "
      "or the command line is wrong.");
}

namespace {

std::string plural(std::size_t n, const std::string& word, const std::string& many = "") {
  return std::to_string(n) + " " + (n == 1 ? word : many.empty() ? word + "s" : many);
}

std::string summary(const model::Model& m) {
  std::size_t aggregates = 0, commands = 0, events = 0, policies = 0, views = 0, calls = 0;
  for (const auto& c : m.contexts) {
    aggregates += c.aggregates.size();
    commands += c.commands.size();
    events += c.events.size();
    policies += c.policies.size();
    views += c.views.size();
    calls += c.calls.size();
  }
  std::string out = plural(m.contexts.size(), "context") + ", " + plural(aggregates, "aggregate") +
                    ", " + plural(commands, "command") + ", " + plural(events, "event") + ", " +
                    plural(policies, "policy", "policies") + ", " + plural(views, "view");
  if (calls) out += ", " + plural(calls, "sync call");
  if (!m.sagas.empty()) out += ", " + plural(m.sagas.size(), "saga");
  return out;
}

}  // namespace

int run_validate(const ValidateOptions& options) {
  bool color = options.color == "always" || (options.color == "auto" && isatty(STDERR_FILENO) &&
                                             std::getenv("NO_COLOR") == nullptr);
  const std::map<std::string, model::ErrorFormat> formats = {
      {"text", model::ErrorFormat::text},
      {"json", model::ErrorFormat::json},
      {"github", model::ErrorFormat::github}};
  const model::ErrorFormat format = formats.at(options.format);
  bool text = format == model::ErrorFormat::text;
  std::vector<model::Diagnostic> all;
  bool unreadable = false;
  bool invalid = false;
  for (const auto& path : options.files) {
    auto source = model::read_source(path);
    if (auto* failure = std::get_if<model::ReadFailure>(&source)) {
      if (text) {
        std::cerr << failure->message << '\n';
      } else {
        model::Diagnostic d;
        d.message = failure->message.substr(failure->message.find("error: ") + 7);
        d.where.file = std::make_shared<const model::SourceFile>(path, "");
        all.push_back(std::move(d));
      }
      unreadable = true;
      continue;
    }
    model::Diagnostics diagnostics;
    auto m = model::load_model(std::get<0>(source), diagnostics);
    bool failed = diagnostics.has_errors() || (options.werror && diagnostics.warning_count() > 0);
    invalid |= failed;
    if (text) {
      model::render(std::cerr, diagnostics.all(), model::ErrorFormat::text, color);
      if (!options.quiet) {
        if (!failed && m) {
          std::cout << path << ": ok (" << summary(*m) << ")";
          if (diagnostics.warning_count())
            std::cout << ", " << plural(diagnostics.warning_count(), "warning");
          std::cout << '\n';
        } else {
          std::cerr << path << ": " << plural(diagnostics.error_count(), "error") << ", "
                    << plural(diagnostics.warning_count(), "warning") << '\n';
        }
      }
    } else {
      all.insert(all.end(), diagnostics.all().begin(), diagnostics.all().end());
    }
  }
  if (!text) model::render(std::cout, all, format);
  if (unreadable) return 2;
  return invalid ? 1 : 0;
}

}  // namespace eskit::cli
