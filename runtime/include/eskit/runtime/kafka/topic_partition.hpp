#pragma once
// Partitions as the consumer sees them: what it was assigned, and how far behind it is.

#include <cstdint>
#include <string>

namespace eskit::runtime::kafka {

struct TopicPartition {
  std::string topic;
  std::int32_t partition = 0;

  friend bool operator==(const TopicPartition&, const TopicPartition&) = default;
  friend auto operator<=>(const TopicPartition&, const TopicPartition&) = default;
};

// Lag as `kafka-consumer-groups --describe` reports it: messages in the partition that the
// group has not committed yet. Committed offsets are what survives a restart, so this is the
// work a restarted service would still have to do.
struct PartitionLag {
  std::string topic;
  std::int32_t partition = 0;
  std::int64_t committed_offset = -1;  // next offset the group will read; -1 if none committed
  std::int64_t high_watermark = 0;     // offset the next produced message will get
  std::int64_t lag = 0;                // high_watermark - committed (or - low watermark if none)
};

}  // namespace eskit::runtime::kafka
