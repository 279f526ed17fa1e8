#pragma once
// The time source of token checks and issuing; tests inject a fixed one to probe the
// boundaries of exp and nbf without sleeping.
#include <chrono>
#include <functional>

namespace eskit::runtime::auth {

// Empty means the system clock.
using Clock = std::function<std::chrono::system_clock::time_point()>;

}  // namespace eskit::runtime::auth
