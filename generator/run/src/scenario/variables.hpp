#pragma once
// ${name} references: finding them (for the loader's checks) and replacing them (for the
// player), and the save paths that give them their values.
#include <cstddef>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scenario_data.hpp"

namespace eskit::run {

using Vars = std::map<std::string, Json, std::less<>>;

struct Reference {
  std::string name;
  std::size_t offset = 0;  // of the '$' in the text
};

// Every ${name} in `text`. A "${" that does not open a valid reference is reported through
// `error` (its offset in `error_offset`) and ends the scan.
[[nodiscard]] std::vector<Reference> references(std::string_view text, std::string& error,
                                                std::size_t& error_offset);

// A reference to a name that has no value when the step runs (a save inside a repeat round
// that did not happen).
class UnsetVariable : public std::runtime_error {
 public:
  explicit UnsetVariable(const std::string& name)
      : std::runtime_error("${" + name + "} has no value: the step that saves it did not run") {}
};

// Every string of `value` with its references replaced; a string that is exactly one
// reference becomes the saved value itself, keeping its JSON type. Throws UnsetVariable.
[[nodiscard]] Json substitute(const Json& value, const Vars& vars);
// References replaced by their text (a string as is, anything else as JSON); in a `path`,
// what would change the URL's structure is percent-encoded.
[[nodiscard]] std::string substitute_text(std::string_view text, const Vars& vars,
                                          bool path = false);

// The value at `path` (object keys; list indexes as numbers) under `root`, or null.
[[nodiscard]] const Json* find_path(const Json& root, std::span<const std::string> path);

}  // namespace eskit::run
