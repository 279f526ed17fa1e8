#include "eskit/runtime/log/correlation.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <string>
#include <thread>
#include <vector>

using namespace eskit::runtime::log;

TEST(Correlation, ScopesNestAndRestoreWhatWasBefore) {
  EXPECT_EQ(current_correlation_id(), "");
  {
    CorrelationScope request("req-1");
    EXPECT_EQ(current_correlation_id(), "req-1");
    {
      CorrelationScope saga_step("saga-9");
      EXPECT_EQ(current_correlation_id(), "saga-9");
    }
    EXPECT_EQ(current_correlation_id(), "req-1");
  }
  EXPECT_EQ(current_correlation_id(), "");
}

TEST(Correlation, EachThreadHasItsOwnEvenWhileOthersAreOpen) {
  constexpr int threads = 4;
  // Every thread opens its scope, then all check theirs while all are open, then all nest
  // and check again: a shared id would show up as another thread's value.
  std::barrier all_open(threads + 1);
  std::barrier all_nested(threads + 1);
  std::vector<std::string> seen(threads * 3);
  std::vector<std::thread> workers;
  CorrelationScope main_scope("main");
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      seen[static_cast<std::size_t>(i * 3)] = std::string(current_correlation_id());
      CorrelationScope outer("t" + std::to_string(i));
      all_open.arrive_and_wait();
      {
        CorrelationScope inner("t" + std::to_string(i) + ".inner");
        all_nested.arrive_and_wait();
        seen[static_cast<std::size_t>(i * 3 + 1)] = std::string(current_correlation_id());
      }
      seen[static_cast<std::size_t>(i * 3 + 2)] = std::string(current_correlation_id());
    });
  }
  all_open.arrive_and_wait();
  EXPECT_EQ(current_correlation_id(), "main");
  all_nested.arrive_and_wait();
  for (auto& w : workers) w.join();
  EXPECT_EQ(current_correlation_id(), "main");
  for (int i = 0; i < threads; ++i) {
    std::string id = "t" + std::to_string(i);
    EXPECT_EQ(seen[static_cast<std::size_t>(i * 3)], "") << "a new thread starts without an id";
    EXPECT_EQ(seen[static_cast<std::size_t>(i * 3 + 1)], id + ".inner");
    EXPECT_EQ(seen[static_cast<std::size_t>(i * 3 + 2)], id);
  }
}

TEST(Correlation, WorkHandedToAnotherThreadCarriesItsIdExplicitly) {
  CorrelationScope request("req-7");
  std::string seen;
  std::thread worker([id = std::string(current_correlation_id()), &seen] {
    CorrelationScope scope(id);
    seen = std::string(current_correlation_id());
  });
  worker.join();
  EXPECT_EQ(seen, "req-7");
}
