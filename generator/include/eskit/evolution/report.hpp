// How `eskit diff` prints changes: like compiler diagnostics (text), for tools (json), or as
// pull-request annotations (github). One line or object per change, in the given order.
#pragma once

#include <iosfwd>
#include <vector>

#include "eskit/evolution/change.hpp"

namespace eskit::evolution {

enum class ReportFormat { text, json, github };

/// text:   `new.yaml:12:7: breaking[wire]: event ordering.OrderPlaced: field 'total' removed`
/// json:   [{"file", "line", "column", "category", "severity", "subject", "message"}, ...]
/// github: `::error file=...,line=...,col=...::...` for breaking, `::notice` for safe.
void report(std::ostream& out, const std::vector<Change>& changes, ReportFormat format);

}  // namespace eskit::evolution
