#pragma once
// Expectations on JSON answers and events (docs/scenarios.md, "Expectations"): a subset match
// with a few operators. Values reach here already substituted.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "scenario_data.hpp"

namespace eskit::run {

inline constexpr std::array<std::string_view, 7> matcher_operators = {
    "$contains", "$exists", "$len", "$ne", "$gte", "$lte", "$match"};

// An object all of whose keys start with '$' is a matcher; the loader refuses a mix.
[[nodiscard]] bool is_matcher(const Json& value);

// Where and how `expected` and the actual value part ways, rendered for the report.
struct Mismatch {
  std::string path;  // "body.items.0.status"
  std::string expected;
  std::string got;
};

// `actual` is null when the value is absent. `path` names the root, e.g. "body".
[[nodiscard]] std::optional<Mismatch> match(const Json& expected, const Json* actual,
                                            const std::string& path);

// Compact JSON, numbers written as people write them.
[[nodiscard]] std::string json_text(const Json& value);
// Compact JSON cut to about `limit` characters, for one-line reports.
[[nodiscard]] std::string short_json(const Json& value, std::size_t limit = 120);

}  // namespace eskit::run
