#pragma once
// Scenarios from text, and a SystemControl that records what a scenario asked of it, for the
// scenario tests.
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "eskit/run/scenario.hpp"
#include "eskit/run/system_control.hpp"
#include "scenario_data.hpp"

namespace eskit::run::test {

inline const std::vector<std::string> drivercall = {"caller", "payment", "catcher", "dashboard"};

// The file `s.yaml` holding `text`, loaded.
Scenario scenario(const std::string& text, const std::vector<std::string>& contexts = drivercall);
// The problems load_scenario reports for `text` (none when it loads).
std::vector<std::string> problems(const std::string& text,
                                  const std::vector<std::string>& contexts = drivercall);

class FakeSystem : public SystemControl {
 public:
  std::string gateway;
  std::map<std::string, std::string> services;  // context → URL
  std::vector<std::string> context_names = drivercall;
  std::string bootstrap;
  // An operation ("kill payment") that throws instead of being recorded.
  std::string refuse;

  [[nodiscard]] std::string gateway_url() const override { return gateway; }
  [[nodiscard]] std::string service_url(std::string_view context) const override {
    return services.at(std::string(context));
  }
  [[nodiscard]] std::vector<std::string> contexts() const override { return context_names; }
  [[nodiscard]] std::string bootstrap_servers() const override { return bootstrap; }
  [[nodiscard]] std::string token(std::string_view subject,
                                  const std::vector<std::string>& roles) const override;

  void stop(std::string_view context) override { record("stop " + std::string(context)); }
  void kill(std::string_view context) override { record("kill " + std::string(context)); }
  void start(std::string_view context) override { record("start " + std::string(context)); }
  void restart(std::string_view context) override { record("restart " + std::string(context)); }
  void scale(std::string_view context, int replicas) override {
    record("scale " + std::string(context) + " " + std::to_string(replicas));
  }
  void slow(std::string_view context, std::chrono::milliseconds delay) override {
    record("slow " + std::string(context) + " " + std::to_string(delay.count()));
  }
  void configure(std::string_view context, std::string_view variable,
                 std::string_view value) override {
    record("configure " + std::string(context) + " " + std::string(variable) + "=" +
           std::string(value));
  }
  void broker_down() override { record("broker down"); }
  void broker_up() override { record("broker up"); }
  void settle(std::chrono::milliseconds deadline) override {
    record("settle " + std::to_string(deadline.count()));
  }
  // What handled_by_replica answers, per context.
  std::map<std::string, std::vector<std::pair<std::string, std::int64_t>>> handled;
  [[nodiscard]] std::vector<std::pair<std::string, std::int64_t>> handled_by_replica(
      std::string_view context) override {
    record("handled_by_replica " + std::string(context));
    return handled[std::string(context)];
  }

  [[nodiscard]] std::vector<std::string> operations() const {
    std::lock_guard lock(mutex_);
    return operations_;
  }

 private:
  void record(const std::string& operation) {
    if (operation == refuse) throw std::runtime_error(operation + ": did not happen in time");
    std::lock_guard lock(mutex_);
    operations_.push_back(operation);
  }

  mutable std::mutex mutex_;
  std::vector<std::string> operations_;
};

// Plays `scenario` and keeps what it printed.
struct Played {
  bool held = false;
  std::string output;
};
Played play_text(const Scenario& scenario, SystemControl& system, PlayOptions options = {});

}  // namespace eskit::run::test
