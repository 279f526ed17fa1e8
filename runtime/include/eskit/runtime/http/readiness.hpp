#pragma once
// Readiness: the checks /ready runs (database reachable, broker connected, relay not stuck).
// Modules register a check when they start; an orchestrator stops routing traffic to the
// instance while any check fails, and /ready says which one and why.
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace eskit::runtime::http {

struct CheckResult {
  bool ok = true;
  std::string reason;  // why it fails; empty when ok

  static CheckResult healthy() { return {}; }
  static CheckResult failing(std::string why) { return {false, std::move(why)}; }
};

using ReadinessCheck = std::function<CheckResult()>;

struct CheckOutcome {
  std::string name;
  CheckResult result;
};

class Readiness {
 public:
  Readiness();
  ~Readiness();
  Readiness(const Readiness&) = delete;
  Readiness& operator=(const Readiness&) = delete;

  // Checks run on every /ready call, in registration order, outside any lock; they should
  // answer from state the module keeps, not block on the network.
  void add(std::string name, ReadinessCheck check);
  // Every check's outcome; a check that throws is failing with the exception's message.
  [[nodiscard]] std::vector<CheckOutcome> run() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace eskit::runtime::http
