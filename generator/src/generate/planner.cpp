#include "eskit/generate/planner.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>

#include "cpp_format.hpp"
#include "eskit/generate/stamp.hpp"
#include "eskit/generate/view_model.hpp"

namespace eskit::generate {

namespace {

using tmpl::List;
using tmpl::Object;
using tmpl::Value;

/// One artefact to render: a template, the file it becomes, and the variables it sees.
struct Artefact {
  std::string template_name;
  std::string path;
  FileRole role;
  Value variables;
};

std::string key(const Value& object, std::string_view name) {
  return object.find(name)->as_string();
}

bool any(const Value& object, std::string_view list) {
  return !object.find(list)->as_list().empty();
}

/// The artefacts of one context, under `<context>/gen/` and `<context>/src/`.
void context_artefacts(const Value& system, const Value& context, std::vector<Artefact>& out) {
  const std::string dir = key(context, "snake") + "/";
  auto add = [&](std::string tmpl, std::string path, FileRole role, Object extra = {}) {
    Object variables{{"model", system}, {"context", context}};
    for (const auto& [k, v] : extra) variables.set(k, v);
    out.push_back({std::move(tmpl), dir + path, role, std::move(variables)});
  };
  const bool has_types = any(context, "enums") || any(context, "records");
  const bool has_structs =
      has_types || any(context, "commands") || any(context, "events") || any(context, "views");
  if (has_structs) add("cpp/json_support.hpp.tmpl", "gen/json_support.hpp", FileRole::generated);
  if (has_types) add("cpp/types.hpp.tmpl", "gen/types.hpp", FileRole::generated);
  if (any(context, "commands"))
    add("cpp/commands.hpp.tmpl", "gen/commands.hpp", FileRole::generated);
  if (any(context, "events")) add("cpp/events.hpp.tmpl", "gen/events.hpp", FileRole::generated);
  if (any(context, "settings"))
    add("cpp/settings.hpp.tmpl", "gen/settings.hpp", FileRole::generated);
  for (const Value& a : context.find("aggregates")->as_list()) {
    const std::string name = key(a, "snake");
    add("cpp/aggregate_state.hpp.tmpl", "gen/" + name + "_state.hpp", FileRole::generated,
        {{"aggregate", a}});
    add("cpp/aggregate.hpp.tmpl", "gen/" + name + ".hpp", FileRole::generated, {{"aggregate", a}});
    add("cpp/repository.hpp.tmpl", "gen/" + name + "_repository.hpp", FileRole::generated,
        {{"aggregate", a}});
    const auto& tests = context.find("tests")->as_list();
    if (std::find(tests.begin(), tests.end(), Value(name + "_test.cpp")) != tests.end()) {
      add("cpp/aggregate_test.cpp.tmpl", "gen/tests/" + name + "_test.cpp", FileRole::generated,
          {{"aggregate", a}});
    }
  }
  if (any(context, "commands")) {
    add("cpp/rule_bases.hpp.tmpl", "gen/rule_bases.hpp", FileRole::generated);
    add("cpp/rules.hpp.tmpl", "gen/rules.hpp", FileRole::generated);
    for (const Value& c : context.find("commands")->as_list()) {
      add("cpp/rule.hpp.tmpl", "src/" + key(c, "snake") + "_rule.hpp", FileRole::user,
          {{"command", c}});
    }
  }
  const bool serves = any(context, "aggregates") || any(context, "views");
  if (serves) add("cmake/context.cmake.tmpl", "gen/CMakeLists.txt", FileRole::generated);
  if (any(context, "inbound"))
    add("cpp/inbound_events.hpp.tmpl", "gen/inbound_events.hpp", FileRole::generated);
  for (const Value& v : context.find("views")->as_list()) {
    add("cpp/view.hpp.tmpl", "gen/" + key(v, "snake") + "_view.hpp", FileRole::generated,
        {{"view", v}});
  }
  if (serves) {
    add("cpp/schema.hpp.tmpl", "gen/schema.hpp", FileRole::generated);
    add("cpp/service.hpp.tmpl", "gen/service.hpp", FileRole::generated);
    add("cpp/service.cpp.tmpl", "gen/service.cpp", FileRole::generated);
    add("cpp/main.cpp.tmpl", "gen/main.cpp", FileRole::generated);
  }
  if (any(context, "aggregates") || any(context, "views")) {
    for (const char* dialect : {"postgresql", "sqlite"}) {
      add("sql/schema.sql.tmpl", std::string("gen/sql/") + dialect + "/0001_schema.sql",
          FileRole::generated, {{"dialect", dialect}});
    }
  }
}

constexpr std::string_view render_label = "// eskit-render: fnv1a64:";

/// The generated C++ file for `rendered` (a template's output for `path`): the existing one's
/// body when it records the same render and is intact, else the rendered text laid out, under
/// a line recording the render for the next run.
std::string laid_out(const std::string& rendered, const std::string& path,
                     const std::filesystem::path* output) {
  const std::string render_line =
      std::string(render_label) + content_hash(rendered + format_identity()) + "\n";
  if (output != nullptr) {
    std::ifstream in(*output / path, std::ios::binary);
    if (in) {
      std::string existing((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      // The stamp's two lines, then the render line.
      const std::size_t first = existing.find('\n');
      const std::size_t second =
          first == std::string::npos ? first : existing.find('\n', first + 1);
      if (second != std::string::npos && inspect(existing) == StampState::intact &&
          existing.compare(second + 1, render_line.size(), render_line) == 0)
        return existing.substr(second + 1);
    }
  }
  return render_line + format_cpp(rendered, path);
}

}  // namespace

tmpl::Expected<Plan> make_plan(const model::Model& model, tmpl::Environment& templates,
                               const std::string& source, const std::filesystem::path* output) {
  const Value system = model_view(model, source);
  std::vector<Artefact> artefacts;
  for (const Value& context : system.find("contexts")->as_list())
    context_artefacts(system, context, artefacts);
  artefacts.push_back({"cmake/system.cmake.tmpl", "CMakeLists.txt", FileRole::generated,
                       Object{{"model", system}}});

  // Rendering and laying out are most of the work and templates are immutable: on every core, each
  // result in its artefact's slot, so the plan is the same whatever the threads' timing.
  std::vector<std::optional<tmpl::Expected<std::string>>> texts(artefacts.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < artefacts.size(); i = next++) {
      const Artefact& a = artefacts[i];
      texts[i].emplace(templates.render(a.template_name, a.variables));
      if (!*texts[i] || !is_cpp(a.path)) continue;
      // Stubs are the team's from their first day: laid out, with no line of eskit's.
      **texts[i] = a.role == FileRole::generated ? laid_out(**texts[i], a.path, output)
                                                 : format_cpp(**texts[i], a.path);
    }
  };
  const std::size_t threads =
      std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, artefacts.size() / 16 + 1);
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  for (auto& h : helpers) h.join();

  Plan plan;
  plan.files.reserve(artefacts.size());
  for (std::size_t i = 0; i < artefacts.size(); ++i) {
    tmpl::Expected<std::string>& text = *texts[i];
    if (!text) return text.error();  // the first failing artefact, as a serial run would report
    Artefact& a = artefacts[i];
    std::string content =
        a.role == FileRole::generated ? stamp(a.path, *text, source) : std::move(*text);
    plan.files.push_back({std::move(a.path), std::move(content), a.role});
  }
  std::sort(plan.files.begin(), plan.files.end(),
            [](const PlannedFile& a, const PlannedFile& b) { return a.path < b.path; });
  // Names that differ only in case or separators (`ShopOrder`, `shop_order`) meet in one file;
  // writing both would silently keep the last.
  for (std::size_t i = 1; i < plan.files.size(); ++i) {
    if (plan.files[i].path != plan.files[i - 1].path) continue;
    tmpl::Error error;
    error.where.name = source;
    error.message =
        "two model elements would both generate '" + plan.files[i].path + "'; rename one of them";
    return error;
  }
  return plan;
}

}  // namespace eskit::generate
