#pragma once
// Kafka record headers. The event envelope (event id, type, aggregate id, correlation and
// causation ids, schema version) travels in headers so consumers can route and deduplicate
// without parsing the payload.

#include <string>
#include <string_view>

namespace eskit::runtime::kafka {

// A header to send: owns its bytes.
struct Header {
  std::string name;
  std::string value;
};

// A header of a received message: views into the message, valid while the message lives.
struct HeaderView {
  std::string_view name;
  std::string_view value;
};

}  // namespace eskit::runtime::kafka
