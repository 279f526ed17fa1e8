#pragma once
// Reads a Prometheus text exposition the way the fault test needs it: samples by name and
// labels, and a histogram's quantile as the bucket bound that holds it (what
// histogram_quantile() would interpolate inside, so "p99 <= bound" is exact, never a guess).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eskit::runtime::resilience::fault {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

class Exposition {
 public:
  // Throws std::runtime_error naming the first line that is not a sample or a comment.
  explicit Exposition(std::string_view text);

  // The sum over the series of that name whose labels include `labels` (0 when none).
  [[nodiscard]] double sum(std::string_view name,
                           const std::map<std::string, std::string>& labels = {}) const;

  // The smallest bucket bound of histogram `name` under which at least `quantile` of the
  // observations of the matching series lie, together; nullopt when they hold none, +Inf
  // (infinity) when the quantile lies past the last bound.
  [[nodiscard]] std::optional<double> quantile_bound(
      std::string_view name, double quantile,
      const std::vector<std::map<std::string, std::string>>& series) const;

  [[nodiscard]] const std::vector<Sample>& samples() const noexcept { return samples_; }

 private:
  std::vector<Sample> samples_;
};

}  // namespace eskit::runtime::resilience::fault
