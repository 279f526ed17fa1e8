#include "eskit/runtime/db/retry.hpp"

#include <algorithm>
#include <random>
#include <thread>

namespace eskit::runtime::db::detail {

void wait_before_retry(const RetryPolicy& policy, int attempt) {
  // Full jitter: competing units of work that failed together spread out instead of
  // colliding again in lockstep.
  const auto exponent = std::min(attempt - 1, 20);
  const auto ceiling =
      std::min<std::chrono::milliseconds>(policy.max_delay, policy.base_delay * (1L << exponent));
  if (ceiling.count() <= 0) return;
  thread_local std::minstd_rand random{std::random_device{}()};
  std::uniform_int_distribution<long long> pick(0, std::chrono::microseconds(ceiling).count());
  std::this_thread::sleep_for(std::chrono::microseconds(pick(random)));
}

}  // namespace eskit::runtime::db::detail
