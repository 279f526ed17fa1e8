#include "eskit/runtime/messaging/envelope.hpp"

#include <boost/json.hpp>

#include <array>
#include <cstdio>
#include <ctime>

#include "eskit/runtime/log/correlation.hpp"
#include "eskit/runtime/text/uuid.hpp"

namespace eskit::runtime::messaging {
namespace {

namespace json = boost::json;

// JSON body field names, in the order they are written (docs/messaging.md).
constexpr std::string_view body_id = "id";
constexpr std::string_view body_type = "type";
constexpr std::string_view body_schema_version = "schemaVersion";
constexpr std::string_view body_source = "source";
constexpr std::string_view body_aggregate_id = "aggregateId";
constexpr std::string_view body_correlation_id = "correlationId";
constexpr std::string_view body_causation_id = "causationId";
constexpr std::string_view body_occurred_at = "occurredAt";
constexpr std::string_view body_data = "data";

json::value parse_payload(std::string_view text, std::string_view what) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error) throw EnvelopeError(std::string(what) + " is not valid JSON: " + error.message());
  if (!value.is_object()) throw EnvelopeError(std::string(what) + " is not a JSON object");
  return value;
}

void require(bool condition, std::string_view message) {
  if (!condition) throw EnvelopeError(std::string(message));
}

std::string body_string(const json::object& body, std::string_view field, bool required) {
  const auto* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) {
    require(!required, "body field '" + std::string(field) + "' is missing");
    return {};
  }
  require(value->is_string(), "body field '" + std::string(field) + "' is not a string");
  std::string text(value->as_string());
  require(!required || !text.empty(), "body field '" + std::string(field) + "' is empty");
  return text;
}

std::optional<std::string_view> find_header(std::span<const kafka::HeaderView> headers,
                                            std::string_view name) {
  for (const auto& h : headers)
    if (h.name == name) return h.value;
  return std::nullopt;
}

int parse_schema_version(std::string_view text) {
  int version = 0;
  for (char c : text) {
    require(c >= '0' && c <= '9' && version < 100000,
            "schema version '" + std::string(text) + "' is not a positive integer");
    version = version * 10 + (c - '0');
  }
  require(version >= 1, "schema version '" + std::string(text) + "' is not a positive integer");
  return version;
}

}  // namespace

std::string new_event_id() { return text::new_uuid(); }

Envelope Envelope::make(std::string event_type, std::string source, std::string aggregate_id,
                        std::string payload, std::string correlation_id, std::string causation_id,
                        int schema_version) {
  Envelope e;
  e.event_id = new_event_id();
  e.event_type = std::move(event_type);
  e.schema_version = schema_version;
  e.source = std::move(source);
  e.aggregate_id = std::move(aggregate_id);
  // Inside a request or a handled event, the event belongs to that work unless told otherwise.
  e.correlation_id = correlation_id.empty() ? std::string(log::current_correlation_id())
                                            : std::move(correlation_id);
  e.causation_id = std::move(causation_id);
  e.occurred_at = std::chrono::floor<std::chrono::microseconds>(std::chrono::system_clock::now());
  e.payload = std::move(payload);
  return e;
}

std::string format_event_time(EventTime time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto micros = (time - seconds).count();
  const std::time_t t = std::chrono::system_clock::to_time_t(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::array<char, 96> text{};  // room for any int the compiler cannot rule out
  std::snprintf(text.data(), text.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  return text.data();
}

EventTime parse_event_time(std::string_view text) {
  // Exactly the shape format_event_time writes: producers are eskit services.
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micros = 0, consumed = 0;
  const std::string copy(text);
  if (copy.size() != 27 ||
      std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6d%n", &year, &month, &day, &hour,
                  &minute, &second, &micros, &consumed) != 7 ||
      consumed != 26 || copy[26] != 'Z') {
    throw EnvelopeError("timestamp '" + copy + "' is not of the form YYYY-MM-DDTHH:MM:SS.ffffffZ");
  }
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  require(date.ok() && hour < 24 && minute < 60 && second < 61,
          "timestamp '" + copy + "' is not a valid date and time");
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second) + std::chrono::microseconds(micros);
}

EncodedEvent encode(const Envelope& e) {
  require(!e.event_id.empty(), "envelope has no event id");
  require(!e.event_type.empty(), "envelope has no event type");
  require(!e.source.empty(), "envelope has no source context");
  require(!e.aggregate_id.empty(), "envelope has no aggregate id");
  require(e.schema_version >= 1, "envelope schema version must be at least 1");
  json::object body;
  body[body_id] = e.event_id;
  body[body_type] = e.event_type;
  body[body_schema_version] = e.schema_version;
  body[body_source] = e.source;
  body[body_aggregate_id] = e.aggregate_id;
  body[body_correlation_id] = e.correlation_id;
  body[body_causation_id] = e.causation_id;
  body[body_occurred_at] = format_event_time(e.occurred_at);
  body[body_data] = parse_payload(e.payload, "event payload");

  EncodedEvent out;
  out.key = e.aggregate_id;
  out.body = json::serialize(body);
  out.headers = {
      {std::string(header::event_id), e.event_id},
      {std::string(header::event_type), e.event_type},
      {std::string(header::schema_version), std::to_string(e.schema_version)},
      {std::string(header::source), e.source},
      {std::string(header::aggregate_id), e.aggregate_id},
      {std::string(header::correlation_id), e.correlation_id},
      {std::string(header::causation_id), e.causation_id},
      {std::string(header::occurred_at), format_event_time(e.occurred_at)},
      {std::string(header::content_type), "application/json"},
  };
  return out;
}

Envelope decode(std::string_view body_text, std::span<const kafka::HeaderView> headers) {
  const json::value value = parse_payload(body_text, "message body");
  const json::object& body = value.as_object();

  Envelope e;
  e.event_id = body_string(body, body_id, true);
  e.event_type = body_string(body, body_type, true);
  e.source = body_string(body, body_source, true);
  e.aggregate_id = body_string(body, body_aggregate_id, true);
  e.correlation_id = body_string(body, body_correlation_id, false);
  e.causation_id = body_string(body, body_causation_id, false);
  e.occurred_at = parse_event_time(body_string(body, body_occurred_at, true));
  const auto* version = body.if_contains(body_schema_version);
  require(version != nullptr && version->is_int64() && version->as_int64() >= 1 &&
              version->as_int64() <= 100000,
          "body field 'schemaVersion' is missing or not a positive integer");
  e.schema_version = static_cast<int>(version->as_int64());
  const auto* data = body.if_contains(body_data);
  require(data != nullptr && data->is_object(),
          "body field 'data' is missing or not a JSON object");
  e.payload = json::serialize(*data);

  // Headers are what consumers route and deduplicate on without parsing: they must be there
  // and say the same as the body, or one of the two is lying.
  auto check = [&](std::string_view name, const std::string& expected, bool required) {
    const auto found = find_header(headers, name);
    if (!found) {
      require(!required, "header '" + std::string(name) + "' is missing");
      return;
    }
    require(*found == expected, "header '" + std::string(name) + "' says '" + std::string(*found) +
                                    "' but the body says '" + expected + "'");
  };
  check(header::event_id, e.event_id, true);
  check(header::event_type, e.event_type, true);
  check(header::source, e.source, true);
  check(header::aggregate_id, e.aggregate_id, true);
  check(header::correlation_id, e.correlation_id, false);
  check(header::causation_id, e.causation_id, false);
  const auto version_header = find_header(headers, header::schema_version);
  require(version_header.has_value(),
          "header '" + std::string(header::schema_version) + "' is missing");
  require(parse_schema_version(*version_header) == e.schema_version,
          "header '" + std::string(header::schema_version) + "' disagrees with the body");
  return e;
}

}  // namespace eskit::runtime::messaging
