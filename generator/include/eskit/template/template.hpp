// The template language of `eskit generate` (docs/templates.md): templates are parsed once into
// an immutable Template, found and cached by an Environment (a team's override directory first,
// then the templates built into the binary), and rendered over a Value tree.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "eskit/template/value.hpp"

namespace eskit::tmpl {

/// A place in a template: its name and a 1-based line and column (columns count bytes).
struct Position {
  std::string name;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  friend bool operator==(const Position&, const Position&) = default;
};

/// Why a template did not load or render.
struct Error {
  Position where;
  std::string message;
  /// A suggestion such as "did you mean 'fields'?"; may be empty.
  std::string hint;
  /// The text of the line at `where`, for a caret under the column.
  std::string source_line;
  /// The include tags that led to `where`, innermost first.
  std::vector<Position> included_from;

  /// `name:line:col: error: message`, the source line with a caret, then the hint and each
  /// include as `note:` lines, as the model's diagnostics read.
  std::string to_string() const;
};

/// A value or the error that prevented it (std::expected is C++23).
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Expected(Error error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

namespace detail {
struct Body;
}

/// A parsed template with its includes resolved. Immutable, so one instance can be rendered
/// from several threads at once.
class Template {
 public:
  /// Templates are made by Environment::load and Environment::compile.
  Template(std::string name, std::string source, std::unique_ptr<const detail::Body> body);
  ~Template();
  Template(const Template&) = delete;
  Template& operator=(const Template&) = delete;

  const std::string& name() const { return name_; }
  const std::string& source() const { return source_; }
  const detail::Body& body() const { return *body_; }

 private:
  std::string name_;
  std::string source_;
  std::unique_ptr<const detail::Body> body_;
};

using TemplatePtr = std::shared_ptr<const Template>;

/// Renders `tmpl` with the keys of `context` (an object) as its variables.
Expected<std::string> render(const Template& tmpl, const Value& context);

/// Where templates come from. A name is a relative path with `/` separators such as
/// `cpp/aggregate.hpp`; the override directory is looked in first, then the built-in map.
/// Parsed templates are cached, so each is parsed once per environment. Thread-safe.
class Environment {
 public:
  /// Name to template text. The texts are not copied: they must outlive the environment, as
  /// the templates embedded in the binary (builtin_templates()) and string literals do.
  using Sources = std::map<std::string_view, std::string_view>;

  explicit Environment(Sources builtins = {}, std::filesystem::path override_dir = {});
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  /// The template called `name`, parsed, with every template it includes loaded too.
  Expected<TemplatePtr> load(std::string_view name);
  /// Parses `text` as a template called `name` (not cached); includes resolve as for load.
  Expected<TemplatePtr> compile(std::string name, std::string text);
  /// load(name), then render.
  Expected<std::string> render(std::string_view name, const Value& context);

  /// Every template name available: the built-in ones and the override directory's files.
  std::vector<std::string> names() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace eskit::tmpl
