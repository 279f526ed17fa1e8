#include <algorithm>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

#include "ast.hpp"
#include "eskit/runtime/text/did_you_mean.hpp"

namespace eskit::tmpl {

namespace fs = std::filesystem;

Template::Template(std::string name, std::string source, std::unique_ptr<const detail::Body> body)
    : name_(std::move(name)), source_(std::move(source)), body_(std::move(body)) {}

Template::~Template() = default;

namespace {

// Names are relative paths that stay inside the override directory.
bool valid_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos) {
    return false;
  }
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t slash = std::min(name.find('/', start), name.size());
    std::string_view part = name.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = slash + 1;
  }
  return true;
}

const char* const name_hint = "names are relative paths such as 'cpp/service.cpp'";

void for_each_include(detail::Block& nodes, const auto& visit) {
  for (detail::Node& n : nodes) {
    if (n.kind == detail::Node::Kind::include) visit(n);
    for (detail::Branch& b : n.branches) for_each_include(b.body, visit);
    for_each_include(n.otherwise, visit);
  }
}

}  // namespace

struct Environment::State {
  Sources builtins;
  fs::path override_dir;
  std::mutex mutex;
  std::map<std::string, TemplatePtr, std::less<>> cache;

  // The text of `name`: the override directory's file, else the built-in one; nullopt if
  // neither exists, or if the file cannot be read (then `problem` says why).
  std::optional<std::string> read(std::string_view name, std::string& problem) const {
    if (!override_dir.empty()) {
      fs::path file = override_dir / fs::path(std::string(name));
      std::error_code ec;
      if (fs::is_regular_file(file, ec)) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in) {
          problem = "cannot read '" + file.string() + "'";
          return std::nullopt;
        }
        return std::move(text).str();
      }
    }
    if (auto it = builtins.find(name); it != builtins.end()) return std::string(it->second);
    return std::nullopt;
  }

  std::vector<std::string> names() const {
    std::set<std::string> all;
    for (const auto& entry : builtins) all.emplace(entry.first);
    std::error_code ec;
    if (!override_dir.empty() && fs::is_directory(override_dir, ec)) {
      for (fs::recursive_directory_iterator it(override_dir, ec), end; !ec && it != end;
           it.increment(ec)) {
        if (it->is_regular_file(ec)) {
          all.insert(it->path().lexically_relative(override_dir).generic_string());
        }
      }
    }
    return {all.begin(), all.end()};
  }

  Expected<TemplatePtr> load(std::string_view name, std::vector<std::string>& chain) {
    if (auto it = cache.find(name); it != cache.end()) return it->second;
    // Errors about the name itself have no line; an include tag gives them its position.
    Error missing;
    missing.where.name = name;
    if (!valid_name(name)) {
      missing.message = "invalid template name '" + std::string(name) + "'";
      missing.hint = name_hint;
      return missing;
    }
    std::string problem;
    std::optional<std::string> text = read(name, problem);
    if (!text) {
      missing.message = problem.empty() ? "no template named '" + std::string(name) + "'" : problem;
      if (problem.empty()) missing.hint = runtime::text::did_you_mean(name, names());
      return missing;
    }
    auto loaded = compile(std::string(name), std::move(*text), chain);
    if (loaded) cache.emplace(name, *loaded);
    return loaded;
  }

  // Parses `text` and loads what it includes; `chain` holds the templates being loaded, so
  // that a template including itself, directly or not, is an error rather than a recursion.
  Expected<TemplatePtr> compile(std::string name, std::string text,
                                std::vector<std::string>& chain) {
    auto parsed = detail::parse(name, text);
    if (!parsed) return parsed.error();
    std::unique_ptr<detail::Body> body = std::move(parsed).value();
    std::optional<Error> failure;
    chain.push_back(name);
    for_each_include(body->nodes, [&](detail::Node& n) {
      if (failure) return;
      auto at = [&](std::size_t offset, std::string message, std::string hint = {}) {
        failure = detail::make_error(name, text, offset, std::move(message), std::move(hint));
      };
      auto cycle_start = std::find(chain.begin(), chain.end(), n.name);
      if (cycle_start != chain.end()) {
        std::string cycle;
        for (auto it = cycle_start; it != chain.end(); ++it) cycle += *it + " -> ";
        return at(n.name_offset, "include cycle: " + cycle + n.name);
      }
      auto included = load(n.name, chain);
      if (!included) {
        Error e = included.error();
        if (e.where.line == 0) {
          return at(n.name_offset, std::move(e.message), std::move(e.hint));
        }
        e.included_from.push_back(detail::make_error(name, text, n.offset, {}).where);
        failure = std::move(e);
        return;
      }
      n.included = std::move(*included);
    });
    chain.pop_back();
    if (failure) return std::move(*failure);
    return std::make_shared<const Template>(std::move(name), std::move(text), std::move(body));
  }
};

Environment::Environment(Sources builtins, fs::path override_dir)
    : state_(std::make_unique<State>()) {
  state_->builtins = std::move(builtins);
  state_->override_dir = std::move(override_dir);
}

Environment::~Environment() = default;

Expected<TemplatePtr> Environment::load(std::string_view name) {
  std::lock_guard lock(state_->mutex);
  std::vector<std::string> chain;
  return state_->load(name, chain);
}

Expected<TemplatePtr> Environment::compile(std::string name, std::string text) {
  std::lock_guard lock(state_->mutex);
  std::vector<std::string> chain;
  return state_->compile(std::move(name), std::move(text), chain);
}

Expected<std::string> Environment::render(std::string_view name, const Value& context) {
  auto loaded = load(name);
  if (!loaded) return loaded.error();
  return tmpl::render(**loaded, context);
}

std::vector<std::string> Environment::names() const { return state_->names(); }

}  // namespace eskit::tmpl
