#include "eskit/runtime/config/load.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ostream>

#include "config/value_text.hpp"
#include "config/yaml_file.hpp"

namespace eskit::runtime::config {

Environment process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

namespace {

struct FileText {
  std::optional<std::string> text;
  std::string error;  // strerror when text is empty
  bool missing = false;
};

FileText read_whole_file(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {std::nullopt, std::strerror(errno), errno == ENOENT};
  std::string text;
  char buffer[8192];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) text.append(buffer, n);
  // A directory opens fine and fails on the first read.
  bool failed = std::ferror(f) != 0;
  int error = errno;
  std::fclose(f);
  if (failed) return {std::nullopt, std::strerror(error), false};
  return {std::move(text), {}, false};
}

// Collects the problems of one setting's values as each source is read.
class Resolver {
 public:
  Resolver(const Setting& setting, std::vector<Problem>& problems)
      : setting_(setting), problems_(&problems) {
    if (setting.fallback) value_ = *setting.fallback;
  }

  void from_text(std::string_view text, Origin origin) {
    offered_ = true;
    ParsedValue parsed = parse_value(setting_.type, text);
    if (!parsed.value) {
      std::string message = "expected " + expected_text(setting_.type);
      if (setting_.secret) {
        message += "; the value is not shown because the setting is secret";
      } else {
        message += ", got '" + std::string(text) + "'";
      }
      if (!parsed.detail.empty()) message += " (" + parsed.detail + ")";
      fail(origin.where, std::move(message));
      return;
    }
    set(std::move(*parsed.value), std::move(origin));
  }

  void from_file(const FileValue& v) {
    offered_ = true;
    Origin origin{Origin::Kind::file, v.where};
    std::string expected = "expected " + expected_text(setting_.type);
    switch (v.shape) {
      case FileValue::Shape::scalar:
        from_text(v.text, std::move(origin));
        return;
      case FileValue::Shape::empty:
        fail(v.where, expected + ", got an empty value",
             setting_.type == Type::string ? "write \"\" for an empty string" : "");
        return;
      case FileValue::Shape::mapping:
        fail(v.where, expected + ", got a mapping");
        return;
      case FileValue::Shape::list:
        if (setting_.type != Type::strings) {
          fail(v.where, expected + ", got a list");
        } else if (!v.bad_item.empty()) {
          fail(v.where, expected + ", but " + v.bad_item);
        } else {
          set(Value(v.items), std::move(origin));
        }
        return;
    }
  }

  const Setting& setting() const { return setting_; }
  /// Whether some source tried to set it, even with a wrong value: then a required setting is
  /// not also "not set".
  bool offered() const { return offered_; }
  void offer_failed(std::string where, std::string message) {
    offered_ = true;
    fail(std::move(where), std::move(message));
  }
  const std::optional<Value>& value() const { return value_; }
  const Origin& origin() const { return origin_; }

 private:
  void set(Value v, Origin origin) {
    value_ = std::move(v);
    origin_ = std::move(origin);
  }
  void fail(std::string where, std::string message, std::string note = {}) {
    problems_->push_back({std::move(where), setting_.name, std::move(message), std::move(note)});
  }

  const Setting& setting_;
  std::vector<Problem>* problems_;
  std::optional<Value> value_;
  Origin origin_;
  bool offered_ = false;
};

// A mounted file ends with the newline editors and `echo` add; it is not part of the value.
std::string_view without_trailing_newline(std::string_view text) {
  if (text.ends_with('\n')) text.remove_suffix(1);
  if (text.ends_with('\r')) text.remove_suffix(1);
  return text;
}

}  // namespace

LoadResult load(const Schema& schema, const Sources& sources) {
  FileSettings file;
  std::string file_name = sources.file ? sources.file->string() : std::string();
  if (sources.file) {
    FileText text = read_whole_file(*sources.file);
    if (text.text) {
      file = read_yaml_settings(*text.text, file_name, schema);
    } else if (!(text.missing && sources.file_optional)) {
      file.problems.push_back(
          {file_name, {}, "cannot read the configuration file: " + text.error, {}});
      file.parsed = false;
    }
  }
  std::vector<Problem> problems = file.problems;

  // Source by source, so the report reads in the order the sources are applied: the file,
  // then the environment, then what nothing set.
  std::vector<Resolver> resolvers;
  resolvers.reserve(schema.settings().size());
  for (const Setting& setting : schema.settings()) resolvers.emplace_back(setting, problems);
  for (const FileValue& v : file.values) {
    for (Resolver& r : resolvers) {
      if (r.setting().name == v.name) r.from_file(v);
    }
  }
  for (Resolver& r : resolvers) {
    const Setting& setting = r.setting();
    if (auto text = sources.environment(setting.env_var)) {
      r.from_text(*text, {Origin::Kind::environment, setting.env_var});
    }
    std::string file_var = setting.env_var + "_FILE";
    if (auto path = sources.environment(file_var)) {
      std::string where = file_var + "=" + *path;
      FileText mounted = read_whole_file(*path);
      if (mounted.text) {
        r.from_text(without_trailing_newline(*mounted.text), {Origin::Kind::mounted_file, where});
      } else {
        r.offer_failed(where, "cannot read the file: " + mounted.error);
      }
    }
  }
  std::vector<Config::Entry> entries;
  for (const Resolver& r : resolvers) {
    const Setting& setting = r.setting();
    if (r.value()) {
      entries.push_back({setting, *r.value(), r.origin()});
    } else if (file.parsed && !r.offered()) {
      // A wrong value was reported already; and when the file could not be read, the setting
      // may well be in it. Either way "not set" would send the reader after the wrong problem.
      std::string ways = sources.file ? "set it in " + file_name + ", as " : "set it as ";
      ways += setting.env_var + ", or as " + setting.env_var + "_FILE naming a file that holds it";
      std::string note = setting.description.empty() ? ways : setting.description + "; " + ways;
      problems.push_back({{}, setting.name, "required but not set", std::move(note)});
    }
  }
  if (!problems.empty()) return LoadResult(std::move(problems));
  return LoadResult(Config(std::move(entries)));
}

Config load_or_exit(const Schema& schema, const Sources& sources, std::ostream& err) {
  LoadResult result = load(schema, sources);
  if (!result.ok()) {
    err << format_problems(result.problems()) << std::flush;
    std::exit(exit_config_error);
  }
  return result.config();
}

}  // namespace eskit::runtime::config
