#include "eskit/runtime/http/readiness.hpp"

#include <exception>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace eskit::runtime::http {

struct Readiness::Impl {
  mutable std::mutex mutex;
  std::vector<std::pair<std::string, ReadinessCheck>> checks;
};

Readiness::Readiness() : impl_(std::make_unique<Impl>()) {}
Readiness::~Readiness() = default;

void Readiness::add(std::string name, ReadinessCheck check) {
  if (!check) throw std::invalid_argument("readiness check " + name + " is empty");
  std::lock_guard lock(impl_->mutex);
  impl_->checks.emplace_back(std::move(name), std::move(check));
}

std::vector<CheckOutcome> Readiness::run() const {
  decltype(impl_->checks) checks;
  {
    std::lock_guard lock(impl_->mutex);
    checks = impl_->checks;
  }
  std::vector<CheckOutcome> outcomes;
  outcomes.reserve(checks.size());
  for (auto& [name, check] : checks) {
    try {
      outcomes.push_back({name, check()});
    } catch (const std::exception& e) {
      outcomes.push_back({name, CheckResult::failing(std::string("check threw: ") + e.what())});
    } catch (...) {
      outcomes.push_back({name, CheckResult::failing("check threw")});
    }
  }
  return outcomes;
}

}  // namespace eskit::runtime::http
