#include "handled_counts.hpp"

#include <charconv>
#include <cmath>
#include <optional>

namespace eskit::run {

namespace {

constexpr std::string_view handled_metric = "eskit_inbox_handled_total";

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == ':';
}

// One sample line, read front to back: `name{label="value",...} value [timestamp]`, blanks
// allowed between the tokens.
class SampleLine {
 public:
  explicit SampleLine(std::string_view text) : rest_(text) {}

  bool take(char c) {
    skip_blanks();
    if (rest_.empty() || rest_.front() != c) return false;
    rest_.remove_prefix(1);
    return true;
  }

  std::string_view name() {
    skip_blanks();
    std::size_t n = 0;
    while (n < rest_.size() && name_char(rest_[n])) ++n;
    const auto out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return out;
  }

  // A label value between double quotes, its \\, \" and \n undone.
  std::optional<std::string> quoted() {
    if (!take('"')) return std::nullopt;
    std::string out;
    while (!rest_.empty()) {
      const char c = rest_.front();
      rest_.remove_prefix(1);
      if (c == '"') return out;
      if (c != '\\' || rest_.empty()) {
        out += c;
        continue;
      }
      const char escaped = rest_.front();
      rest_.remove_prefix(1);
      if (escaped == 'n') {
        out += '\n';
      } else if (escaped == '\\' || escaped == '"') {
        out += escaped;
      } else {
        out += '\\';
        out += escaped;
      }
    }
    return std::nullopt;  // unterminated
  }

  std::string_view word() {
    skip_blanks();
    std::size_t n = 0;
    while (n < rest_.size() && !blank(rest_[n])) ++n;
    const auto out = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return out;
  }

 private:
  void skip_blanks() {
    while (!rest_.empty() && blank(rest_.front())) rest_.remove_prefix(1);
  }

  std::string_view rest_;
};

std::optional<std::pair<Handling, std::int64_t>> handled_sample(std::string_view text) {
  SampleLine line(text);
  if (line.name() != handled_metric) return std::nullopt;
  std::optional<std::string> consumer;
  std::optional<std::string> event_type;
  if (line.take('{')) {
    // A trailing comma before } is allowed by the format.
    while (!line.take('}')) {
      const auto label = line.name();
      if (label.empty() || !line.take('=')) return std::nullopt;
      auto value = line.quoted();
      if (!value) return std::nullopt;
      if (label == "consumer") consumer = std::move(value);
      if (label == "event_type") event_type = std::move(value);
      if (line.take(',')) continue;
      if (!line.take('}')) return std::nullopt;
      break;
    }
  }
  if (!consumer || !event_type) return std::nullopt;
  const auto value_text = line.word();
  double value = 0;
  const auto [end, error] =
      std::from_chars(value_text.data(), value_text.data() + value_text.size(), value);
  if (error != std::errc{} || end != value_text.data() + value_text.size() || !std::isfinite(value))
    return std::nullopt;
  return std::pair{Handling{std::move(*consumer), std::move(*event_type)},
                   static_cast<std::int64_t>(std::llround(value))};
}

}  // namespace

HandledCounts parse_handled_counts(std::string_view metrics_text) {
  HandledCounts out;
  while (!metrics_text.empty()) {
    const auto newline = metrics_text.find('\n');
    const auto line = metrics_text.substr(0, newline);
    metrics_text.remove_prefix(newline == std::string_view::npos ? metrics_text.size()
                                                                 : newline + 1);
    if (auto sample = handled_sample(line)) out[std::move(sample->first)] = sample->second;
  }
  return out;
}

HandledCounts handled_since(const HandledCounts& before, const HandledCounts& now) {
  HandledCounts out;
  for (const auto& [handling, count] : now) {
    const auto earlier = before.find(handling);
    const std::int64_t was =
        earlier == before.end() || earlier->second > count ? 0 : earlier->second;
    if (count > was) out.emplace(handling, count - was);
  }
  return out;
}

}  // namespace eskit::run
