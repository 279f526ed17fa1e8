#pragma once
// The envelope every event travels in: who it is (id, type, schema version), where it comes
// from (source context, aggregate), why it happened (correlation, causation) and when, around
// the event's own JSON payload. It goes on the wire twice: as Kafka headers, so consumers can
// route and deduplicate without parsing, and as the JSON body, so a message copied by a tool
// that drops headers still says what it is. docs/messaging.md is the format's contract.
#include <chrono>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/runtime/kafka/header.hpp"

namespace eskit::runtime::messaging {

using EventTime = std::chrono::sys_time<std::chrono::microseconds>;

struct Envelope {
  std::string event_id;      // globally unique (UUID v4 by default); the inbox's dedup key
  std::string event_type;    // e.g. "OrderPlaced"
  int schema_version = 1;    // of the payload for this type; consumers reject what they don't know
  std::string source;        // the bounded context that emitted it, e.g. "ordering"
  std::string aggregate_id;  // the Kafka key: one aggregate's events share a partition
  std::string correlation_id;  // the request or saga the event belongs to
  std::string causation_id;    // the command or event that caused it; empty for a first cause
  EventTime occurred_at{};     // UTC, microseconds
  std::string payload = "{}";  // the event's fields as a JSON object (text)

  // An envelope with a fresh event id and the current time; the rest from the arguments. An
  // empty correlation_id takes the current thread's (log::CorrelationScope: the request or
  // event being handled), so events follow their request without the caller passing it on.
  static Envelope make(std::string event_type, std::string source, std::string aggregate_id,
                       std::string payload, std::string correlation_id = {},
                       std::string causation_id = {}, int schema_version = 1);
};

// A random UUID v4 in its canonical text form.
std::string new_event_id();

// What an envelope becomes on the wire.
struct EncodedEvent {
  std::string key;   // the aggregate id
  std::string body;  // {"id":..,"type":..,...,"data":<payload>}
  std::vector<kafka::Header> headers;
};

// Header names (see docs/messaging.md).
namespace header {
inline constexpr std::string_view event_id = "eskit-event-id";
inline constexpr std::string_view event_type = "eskit-event-type";
inline constexpr std::string_view schema_version = "eskit-schema-version";
inline constexpr std::string_view source = "eskit-source";
inline constexpr std::string_view aggregate_id = "eskit-aggregate-id";
inline constexpr std::string_view correlation_id = "eskit-correlation-id";
inline constexpr std::string_view causation_id = "eskit-causation-id";
inline constexpr std::string_view occurred_at = "eskit-occurred-at";
inline constexpr std::string_view content_type = "content-type";
}  // namespace header

// Thrown by decode(): the message is not an eskit event (what is wrong, in words an operator
// reading the dead-letter topic can act on).
class EnvelopeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws EnvelopeError when the payload is not a JSON object or a field is missing or empty.
EncodedEvent encode(const Envelope& envelope);
// Strict: the body must be the JSON envelope, every required header present, and headers and
// body must agree. Throws EnvelopeError otherwise.
Envelope decode(std::string_view body, std::span<const kafka::HeaderView> headers);

// "2024-05-01T09:30:00.125000Z" and back (std::nullopt-free: throws EnvelopeError).
std::string format_event_time(EventTime time);
EventTime parse_event_time(std::string_view text);

}  // namespace eskit::runtime::messaging
