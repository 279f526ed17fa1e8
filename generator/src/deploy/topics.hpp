// The Kafka topics a system uses: each context's events topic, with its producer and
// consumers, and the dead-letter topic of every consumed one (docs/messaging.md).
#pragma once

#include <string>
#include <vector>

#include "eskit/model/model.hpp"

namespace eskit::deploy {

struct Topic {
  std::string name;
  std::string producer;                // context; empty for a .dlq topic
  std::vector<std::string> consumers;  // sorted contexts
  bool dead_letter = false;
};

/// Sorted by name.
std::vector<Topic> topics(const model::Model& model);

}  // namespace eskit::deploy
