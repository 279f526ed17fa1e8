#pragma once
// A metrics registry every runtime module records into (request latency, outbox backlog,
// consumer lag, breaker states) and the server exposes at /metrics in the Prometheus text
// exposition format 0.0.4. Recording is lock-free; only creating a series takes a lock, so
// modules look their series up once and keep the reference.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eskit::runtime::http {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(double amount = 1.0) noexcept;  // negative amounts are ignored: counters only rise
  [[nodiscard]] double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1.0) noexcept;
  void dec(double amount = 1.0) noexcept { inc(-amount); }
  [[nodiscard]] double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `bounds`: strictly increasing upper bounds; the +Inf bucket is implicit.
  explicit Histogram(std::vector<double> bounds);
  void observe(double value) noexcept;

  [[nodiscard]] const std::vector<double>& bounds() const noexcept { return bounds_; }
  // Cumulative counts per bound, then the +Inf bucket (== count()).
  [[nodiscard]] std::vector<std::uint64_t> cumulative_counts() const;
  [[nodiscard]] std::uint64_t count() const noexcept {
    return count_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // non-cumulative, bounds_.size()+1
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

// Prometheus' default buckets, in seconds: 5 ms … 10 s.
[[nodiscard]] std::vector<double> default_latency_buckets();

class MetricsRegistry {
 public:
  static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // The series of that name and labels, created on first use; the reference lives as long as
  // the registry. Throws std::invalid_argument for invalid metric or label names, a name
  // already registered with another type, or (histograms) other bounds than the family's.
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});
  Histogram& histogram(std::string_view name, std::string_view help, const Labels& labels = {},
                       std::vector<double> bounds = default_latency_buckets());
  // A gauge sampled at scrape time, for values another component owns (outbox backlog,
  // breaker state); a sampler that throws is left out of that scrape.
  void gauge_function(std::string_view name, std::string_view help, const Labels& labels,
                      std::function<double()> sample);

  // Every family in name order, series in label order: HELP, TYPE, samples.
  [[nodiscard]] std::string render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Text-format escaping, exposed for tests and for modules writing their own exposition.
[[nodiscard]] std::string escape_help(std::string_view text);         // \ and newline
[[nodiscard]] std::string escape_label_value(std::string_view text);  // \, " and newline
[[nodiscard]] std::string format_sample_value(double value);          // +Inf, -Inf, NaN, shortest

}  // namespace eskit::runtime::http
