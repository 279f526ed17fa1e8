// The YAML configuration file, flattened to dotted setting names with the position of each
// value. The only file that includes yaml-cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/config/problem.hpp"
#include "eskit/runtime/config/schema.hpp"

namespace eskit::runtime::config {

/// A setting's value as written in the file, before its type is checked.
struct FileValue {
  enum class Shape { scalar, empty, list, mapping };
  std::string name;  ///< the setting, e.g. "http.port"
  Shape shape = Shape::scalar;
  std::string text;                ///< scalar
  std::vector<std::string> items;  ///< list
  /// A list item that is itself a list or mapping: "item 2 is a mapping". Empty if none.
  std::string bad_item;
  std::string where;  ///< "config.yaml:3:9"
};

struct FileSettings {
  std::vector<FileValue> values;
  /// Syntax errors, duplicate keys, unknown keys (with a did-you-mean), values where a group
  /// of settings belongs.
  std::vector<Problem> problems;
  /// False when the YAML could not be parsed: its settings are unknown, not missing.
  bool parsed = true;
};

/// `text` is the file's content; `display_name` is how positions name it.
FileSettings read_yaml_settings(std::string_view text, const std::string& display_name,
                                const Schema& schema);

}  // namespace eskit::runtime::config
