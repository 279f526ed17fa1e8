#pragma once
// What a service's inboxes have handled, read from its /metrics: the samples of
// eskit_inbox_handled_total{consumer, event_type} (docs/messaging.md). Two readings apart say
// which context took in which events meanwhile, which is what the narration shows.
#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace eskit::run {

struct Handling {
  std::string consumer;  // the inbox: "<service>.<subscription>", e.g. "catcher.receive-paid-call"
  std::string event_type;

  auto operator<=>(const Handling&) const = default;
};

using HandledCounts = std::map<Handling, std::int64_t>;

// The handled counter's samples in Prometheus text format 0.0.4. Other metrics, comments,
// samples without both labels and lines that do not parse are passed over: a reading is
// narration, never a reason to stop.
[[nodiscard]] HandledCounts parse_handled_counts(std::string_view metrics_text);

// How many more of each `now` counts than `before`, leaving out what did not move. A count
// below its earlier reading belongs to a process started since (counters start at 0), so all
// of it is new.
[[nodiscard]] HandledCounts handled_since(const HandledCounts& before, const HandledCounts& now);

}  // namespace eskit::run
