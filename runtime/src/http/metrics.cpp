#include "eskit/runtime/http/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>

namespace eskit::runtime::http {

void Counter::inc(double amount) noexcept {
  if (amount > 0) value_.fetch_add(amount, std::memory_order_relaxed);
}

void Gauge::inc(double amount) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }

Histogram::Histogram(std::vector<double> bounds) : bounds_(std::move(bounds)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (std::isnan(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1]))
      throw std::invalid_argument("histogram bounds must be strictly increasing");
  }
  // +Inf is implicit: the exposition adds it, so a caller's explicit +Inf is dropped.
  if (!bounds_.empty() && std::isinf(bounds_.back()) && bounds_.back() > 0) bounds_.pop_back();
  buckets_ = std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1);
}

void Histogram::observe(double value) noexcept {
  auto bucket = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) -
                                         bounds_.begin());  // le: value <= bound
  buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
  std::vector<std::uint64_t> counts(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    counts[i] = running;
  }
  return counts;
}

std::vector<double> default_latency_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::string escape_help(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string escape_label_value(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string format_sample_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest round-trip
  return ec == std::errc{} ? std::string(buffer, end) : std::string("NaN");
}

namespace {

enum class Kind { counter, gauge, histogram };

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::counter:
      return "counter";
    case Kind::gauge:
      return "gauge";
    case Kind::histogram:
      return "histogram";
  }
  return "untyped";
}

bool valid_name(std::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_allowed && c == ':');
    bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

// The labels sorted by name and rendered as they appear between braces: one string is both
// the series' identity and its exposition.
std::string label_key(std::string_view metric, Labels labels, bool histogram) {
  std::sort(labels.begin(), labels.end());
  std::string key;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto& [name, value] = labels[i];
    if (!valid_name(name, false) || name.starts_with("__"))
      throw std::invalid_argument("invalid label name '" + name + "' on " + std::string(metric));
    if (i > 0 && labels[i - 1].first == name)
      throw std::invalid_argument("label '" + name + "' repeats on " + std::string(metric));
    if (histogram && name == "le")
      throw std::invalid_argument("label 'le' is reserved for histogram buckets: " +
                                  std::string(metric));
    if (!key.empty()) key += ',';
    key += name + "=\"" + escape_label_value(value) + '"';
  }
  return key;
}

struct Series {
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Gauge> gauge;
  std::unique_ptr<Histogram> histogram;
  std::function<double()> sample;
};

struct Family {
  Kind kind;
  std::string help;
  std::vector<double> bounds;
  std::map<std::string, Series> series;  // by label key
};

std::string braces(const std::string& key, std::string_view extra = {}) {
  if (key.empty() && extra.empty()) return {};
  std::string out = "{" + key;
  if (!key.empty() && !extra.empty()) out += ',';
  out += extra;
  out += '}';
  return out;
}

}  // namespace

struct MetricsRegistry::Impl {
  mutable std::mutex mutex;
  std::map<std::string, Family, std::less<>> families;

  Series& series(std::string_view name, std::string_view help, Kind kind, const Labels& labels,
                 const std::vector<double>* bounds) {
    if (!valid_name(name, true))
      throw std::invalid_argument("invalid metric name '" + std::string(name) + "'");
    std::string key = label_key(name, labels, kind == Kind::histogram);
    std::lock_guard lock(mutex);
    auto it = families.find(name);
    if (it == families.end())
      it = families
               .emplace(
                   std::string(name),
                   Family{kind, std::string(help), bounds ? *bounds : std::vector<double>{}, {}})
               .first;
    Family& family = it->second;
    if (family.kind != kind)
      throw std::invalid_argument("metric " + std::string(name) + " is a " +
                                  std::string(kind_name(family.kind)) + ", not a " +
                                  std::string(kind_name(kind)));
    if (bounds && family.bounds != *bounds)
      throw std::invalid_argument("histogram " + std::string(name) +
                                  " already has other bucket bounds");
    return family.series[key];
  }
};

MetricsRegistry::MetricsRegistry() : impl_(std::make_unique<Impl>()) {}
MetricsRegistry::~MetricsRegistry() = default;

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                  const Labels& labels) {
  auto& s = impl_->series(name, help, Kind::counter, labels, nullptr);
  std::lock_guard lock(impl_->mutex);
  if (!s.counter) s.counter = std::make_unique<Counter>();
  return *s.counter;
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  auto& s = impl_->series(name, help, Kind::gauge, labels, nullptr);
  std::lock_guard lock(impl_->mutex);
  if (s.sample)
    throw std::invalid_argument("gauge " + std::string(name) +
                                " with these labels is sampled by a function");
  if (!s.gauge) s.gauge = std::make_unique<Gauge>();
  return *s.gauge;
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      const Labels& labels, std::vector<double> bounds) {
  Histogram probe(
      bounds);  // validates and normalizes (+Inf dropped) before comparing with the family's
  auto& s = impl_->series(name, help, Kind::histogram, labels, &probe.bounds());
  std::lock_guard lock(impl_->mutex);
  if (!s.histogram) s.histogram = std::make_unique<Histogram>(probe.bounds());
  return *s.histogram;
}

void MetricsRegistry::gauge_function(std::string_view name, std::string_view help,
                                     const Labels& labels, std::function<double()> sample) {
  if (!sample) throw std::invalid_argument("gauge " + std::string(name) + " has no sampler");
  auto& s = impl_->series(name, help, Kind::gauge, labels, nullptr);
  std::lock_guard lock(impl_->mutex);
  if (s.gauge)
    throw std::invalid_argument("gauge " + std::string(name) +
                                " with these labels is set directly");
  s.sample = std::move(sample);
}

std::string MetricsRegistry::render() const {
  // Snapshot under the lock, render outside it: samplers may take their own locks or even
  // register metrics without deadlocking a scrape. Series are never removed, so the pointers
  // stay valid.
  struct Row {
    std::string key;
    const Counter* counter;
    const Gauge* gauge;
    const Histogram* histogram;
    std::function<double()> sample;
  };
  struct Snapshot {
    std::string name;
    Kind kind;
    std::string help;
    std::vector<Row> rows;
  };
  std::vector<Snapshot> snapshot;
  {
    std::lock_guard lock(impl_->mutex);
    for (const auto& [name, family] : impl_->families) {
      Snapshot s{name, family.kind, family.help, {}};
      for (const auto& [key, series] : family.series)
        s.rows.push_back(Row{key, series.counter.get(), series.gauge.get(), series.histogram.get(),
                             series.sample});
      snapshot.push_back(std::move(s));
    }
  }

  std::string out;
  for (const auto& family : snapshot) {
    out += "# HELP " + family.name + ' ' + escape_help(family.help) + '\n';
    out += "# TYPE " + family.name + ' ' + std::string(kind_name(family.kind)) + '\n';
    for (const auto& row : family.rows) {
      if (row.histogram) {
        auto counts = row.histogram->cumulative_counts();
        const auto& bounds = row.histogram->bounds();
        for (std::size_t i = 0; i < counts.size(); ++i) {
          std::string le = i < bounds.size() ? format_sample_value(bounds[i]) : "+Inf";
          out += family.name + "_bucket" + braces(row.key, "le=\"" + le + '"') + ' ' +
                 std::to_string(counts[i]) + '\n';
        }
        out += family.name + "_sum" + braces(row.key) + ' ' +
               format_sample_value(row.histogram->sum()) + '\n';
        out +=
            family.name + "_count" + braces(row.key) + ' ' + std::to_string(counts.back()) + '\n';
        continue;
      }
      double value = 0;
      if (row.counter)
        value = row.counter->value();
      else if (row.gauge)
        value = row.gauge->value();
      else if (row.sample) {
        try {
          value = row.sample();
        } catch (...) {
          continue;  // a broken sampler must not break the whole scrape
        }
      } else
        continue;
      out += family.name + braces(row.key) + ' ' + format_sample_value(value) + '\n';
    }
  }
  return out;
}

}  // namespace eskit::runtime::http
