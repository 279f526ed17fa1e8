#include "model_diff_command.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <set>
#include <sstream>
#include <variant>

#include "eskit/evolution/compare.hpp"
#include "eskit/evolution/report.hpp"
#include "eskit/model/load.hpp"

namespace eskit::cli {

namespace {

struct Source {
  std::shared_ptr<const model::SourceFile> file;
  std::string error;  // set when there is no file
};

// `git show REF:PATH`, run without a shell so that neither part can inject a command.
Source git_source(const std::string& spec) {
  const std::string rest = spec.substr(4);
  const auto colon = rest.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size())
    return {nullptr, spec + ": error: expected git:REF:PATH, for example git:main:model.yaml"};
  const std::string object = rest.substr(0, colon) + ":" + rest.substr(colon + 1);
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) return {nullptr, spec + ": error: " + std::strerror(errno)};
  const pid_t pid = fork();
  if (pid < 0) {
    const std::string reason = std::strerror(errno);
    for (int fd : {out[0], out[1], err[0], err[1]}) close(fd);
    return {nullptr, spec + ": error: cannot run git: " + reason};
  }
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(out[0]);
    close(err[0]);
    execlp("git", "git", "show", object.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  auto drain = [](int fd) {
    std::string text;
    std::array<char, 65536> buffer{};
    for (ssize_t n; (n = read(fd, buffer.data(), buffer.size())) > 0;)
      text.append(buffer.data(), n);
    close(fd);
    return text;
  };
  // git's error output is short, so reading stdout first cannot dead-lock on a full stderr.
  std::string text = drain(out[0]);
  std::string problem = drain(err[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    while (!problem.empty() && (problem.back() == '\n' || problem.back() == '\r'))
      problem.pop_back();
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) problem = "git could not be run";
    return {nullptr, spec + ": error: " + (problem.empty() ? "git show failed" : problem)};
  }
  return {std::make_shared<const model::SourceFile>(spec, std::move(text)), ""};
}

Source read(const std::string& spec) {
  if (spec.rfind("git:", 0) == 0) return git_source(spec);
  auto source = model::read_source(spec);
  if (auto* failure = std::get_if<model::ReadFailure>(&source)) return {nullptr, failure->message};
  return {std::get<0>(source), ""};
}

}  // namespace

void add_diff_command(CLI::App& app, DiffOptions& options) {
  auto* cmd = app.add_subcommand(
      "diff", "Compare two versions of a model and report the changes that break a consumer");
  cmd->add_option("old", options.old_model, "The old model: a file or git:REF:PATH")->required();
  cmd->add_option("new", options.new_model, "The new model: a file or git:REF:PATH")->required();
  cmd->add_option("--categories", options.categories,
                  "Which breaking changes fail: a comma list of wire, http, flow, storage")
      ->capture_default_str();
  cmd->add_option("--format", options.format, "text, json or github")
      ->check(CLI::IsMember({"text", "json", "github"}))
      ->capture_default_str();
  cmd->add_flag("--breaking-only", options.breaking_only, "Leave the safe changes out");
  cmd->footer(
      "Each change is reported at its place in NEW (a removal at its nearest surviving parent).\n"
      "Exit status: 0 no breaking change in the selected categories, 1 breaking changes or a "
      "model with errors, 2 the command line, a file or a git reference is wrong.");
}

int run_diff(const DiffOptions& options) {
  std::set<std::string> selected;
  std::stringstream list(options.categories);
  for (std::string item; std::getline(list, item, ',');) {
    if (item != "wire" && item != "http" && item != "flow" && item != "storage") {
      std::cerr << "error: --categories: '" << item
                << "' is not one of wire, http, flow, storage\n";
      return 2;
    }
    selected.insert(item);
  }

  std::shared_ptr<const model::Model> models[2];
  const std::string* specs[2] = {&options.old_model, &options.new_model};
  for (int i = 0; i < 2; ++i) {
    Source source = read(*specs[i]);
    if (!source.file) {
      std::cerr << source.error << '\n';
      return 2;
    }
    model::Diagnostics diagnostics;
    models[i] = model::load_model(source.file, diagnostics);
    if (diagnostics.has_errors() || !models[i]) {
      model::render(std::cerr, diagnostics.all(), model::ErrorFormat::text, false);
      std::cerr << *specs[i] << ": not compared: fix the errors above first\n";
      return 1;
    }
  }

  std::vector<evolution::Change> changes = evolution::compare(*models[0], *models[1]);
  std::size_t failing = 0, breaking = 0;
  std::vector<evolution::Change> shown;
  for (auto& c : changes) {
    const bool is_breaking = c.severity == evolution::Severity::breaking;
    breaking += is_breaking;
    if (is_breaking && selected.count(evolution::spelling(c.category))) ++failing;
    if (is_breaking || !options.breaking_only) shown.push_back(std::move(c));
  }
  const auto format = options.format == "json"     ? evolution::ReportFormat::json
                      : options.format == "github" ? evolution::ReportFormat::github
                                                   : evolution::ReportFormat::text;
  evolution::report(std::cout, shown, format);
  std::cerr << options.new_model << ": " << breaking << " breaking (" << failing << " in "
            << options.categories << "), " << changes.size() - breaking << " safe\n";
  return failing > 0 ? 1 : 0;
}

}  // namespace eskit::cli
