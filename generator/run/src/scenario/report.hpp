#pragma once
// What the player prints: one line per step, details under a failure, and in narrate mode the
// story around it (narration, requests and answers, who published what and who handled it).
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "events.hpp"
#include "scenario_data.hpp"

namespace eskit::run {

// Indented JSON of at most `max_lines` lines (the rest summed up in one), for failures.
[[nodiscard]] std::string pretty_json(const Json& value, std::size_t max_lines = 16);

class Report {
 public:
  Report(std::ostream& out, bool color, bool narrate)
      : out_(out), color_(color), narrate_(narrate) {}

  [[nodiscard]] bool narrating() const { return narrate_; }

  void begin(const ScenarioData& data);
  void say(const std::string& text);
  // Narrate mode only: the request a call sends and the answer it got.
  void request(const std::string& text);
  void answer(const std::string& text);
  void published(const SeenEvent& event);
  // `count` events of `type` handled by the context's inboxes named `subscriptions`.
  void handled(const std::string& context, const std::string& type, std::int64_t count,
               const std::vector<std::string>& subscriptions);
  void step(bool held, const std::string& what, const std::string& observed, Millis elapsed);
  // Under a failed step: `label` then a value, which may span lines.
  void detail(const std::string& label, const std::string& text);
  void note(const std::string& text);
  void end(bool held, int steps_held, int steps, Millis elapsed, const std::string& failed_at);

 private:
  [[nodiscard]] std::string paint(const std::string& text, const char* code) const;

  std::ostream& out_;
  bool color_;
  bool narrate_;
};

}  // namespace eskit::run
