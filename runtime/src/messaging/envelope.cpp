#include "eskit/runtime/messaging/envelope.hpp"

#include <boost/json.hpp>

#include <optional>

#include "eskit/runtime/log/correlation.hpp"
#include "eskit/runtime/text/uuid.hpp"
#include "messaging/encode_stored.hpp"

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

bool json_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Past the string whose opening quote is at `at`; npos when it is not closed.
std::size_t string_end(std::string_view text, std::size_t at) {
  for (std::size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Past the value that starts at `at`; npos when the text ends first.
std::size_t value_end(std::string_view text, std::size_t at) {
  if (at >= text.size()) return std::string_view::npos;
  if (text[at] == '"') return string_end(text, at);
  if (text[at] != '{' && text[at] != '[') {
    std::size_t i = at;
    while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' &&
           !json_blank(text[i]))
      ++i;
    return i;
  }
  int depth = 0;
  for (std::size_t i = at; i < text.size(); ++i) {
    if (text[i] == '"') {
      i = string_end(text, i);
      if (i == std::string_view::npos) return i;
      --i;
    } else if (text[i] == '{' || text[i] == '[') {
      ++depth;
    } else if ((text[i] == '}' || text[i] == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// The text of the member `key` of the JSON object `text` (which has parsed), as its producer
// wrote it. Boost.JSON 1.81 parses numbers of 17 significant digits or more, and integers
// beyond 64 bits, to a nearby double, so serializing the parsed data would change such a
// number at every hop (found by fuzzing). Nullopt when a key is written with escapes or `key`
// appears twice: the caller serializes the parsed value then.
std::optional<std::string_view> member_text(std::string_view text, std::string_view key) {
  std::size_t i = 0;
  auto skip_blanks = [&] {
    while (i < text.size() && json_blank(text[i])) ++i;
  };
  skip_blanks();
  if (i >= text.size() || text[i] != '{') return std::nullopt;
  ++i;
  std::optional<std::string_view> found;
  for (;;) {
    skip_blanks();
    if (i < text.size() && text[i] == '}') return found;
    if (i >= text.size() || text[i] != '"') return std::nullopt;
    const std::size_t name_end = string_end(text, i);
    if (name_end == std::string_view::npos) return std::nullopt;
    const std::string_view name = text.substr(i + 1, name_end - i - 2);
    if (name.find('\\') != std::string_view::npos) return std::nullopt;
    i = name_end;
    skip_blanks();
    if (i >= text.size() || text[i] != ':') return std::nullopt;
    ++i;
    skip_blanks();
    const std::size_t end = value_end(text, i);
    if (end == std::string_view::npos) return std::nullopt;
    if (name == key) {
      if (found) return std::nullopt;
      found = text.substr(i, end - i);
    }
    i = end;
    skip_blanks();
    if (i < text.size() && text[i] == ',') {
      ++i;
    } else if (i >= text.size() || text[i] != '}') {
      return std::nullopt;
    }
  }
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
  // By hand rather than gmtime_r and snprintf: twice per published event.
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss clock{time - day};
  std::string text = "0000-00-00T00:00:00.000000Z";
  auto put = [&text](std::size_t at, std::size_t width, long long value) {
    for (std::size_t i = at + width; i > at; --i, value /= 10)
      text[i - 1] = static_cast<char>('0' + value % 10);
  };
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) throw EnvelopeError("event time is outside the years 0 to 9999");
  put(0, 4, year);
  put(5, 2, static_cast<unsigned>(date.month()));
  put(8, 2, static_cast<unsigned>(date.day()));
  put(11, 2, clock.hours().count());
  put(14, 2, clock.minutes().count());
  put(17, 2, clock.seconds().count());
  put(20, 6, clock.subseconds().count());
  return text;
}

EventTime parse_event_time(std::string_view text) {
  // Exactly the shape format_event_time writes: producers are eskit services. Digit by digit,
  // since a scanf width takes "-013" and " 13" for numbers too (found by fuzzing: a year
  // that decoded but could never be encoded again).
  static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd.ddddddZ";
  bool shaped = text.size() == shape.size();
  for (std::size_t i = 0; shaped && i < shape.size(); ++i)
    shaped = shape[i] == 'd' ? text[i] >= '0' && text[i] <= '9' : text[i] == shape[i];
  const std::string copy(text);
  if (!shaped)
    throw EnvelopeError("timestamp '" + copy + "' is not of the form YYYY-MM-DDTHH:MM:SS.ffffffZ");
  auto number = [&text](std::size_t at, std::size_t width) {
    int value = 0;
    for (std::size_t i = at; i < at + width; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int year = number(0, 4), month = number(5, 2), day = number(8, 2), hour = number(11, 2),
            minute = number(14, 2), second = number(17, 2), micros = number(20, 6);
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  require(date.ok() && hour < 24 && minute < 60 && second < 61,
          "timestamp '" + copy + "' is not a valid date and time");
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second) + std::chrono::microseconds(micros);
}

namespace {

// Appends `text` as a JSON string. Control characters are escaped; other bytes, UTF-8
// included, pass through as Boost.JSON's serializer passes them.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run of bytes that need no escape
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xf];
    }
  }
  out.append(text, plain, text.size() - plain);
  out += '"';
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += '"';
  out += name;  // the field names are ours: nothing to escape
  out += "\":";
  append_json_string(out, value);
  out += ',';
}

void require_fields(const Envelope& e) {
  require(!e.event_id.empty(), "envelope has no event id");
  require(!e.event_type.empty(), "envelope has no event type");
  require(!e.source.empty(), "envelope has no source context");
  require(!e.aggregate_id.empty(), "envelope has no aggregate id");
  require(e.schema_version >= 1, "envelope schema version must be at least 1");
}

// The body is written as text around the payload's own text rather than through a JSON
// document: the relay encodes every event it publishes, and parsing each payload only to
// serialize it again cost most of its time (docs/messaging.md, "What a relay round costs").
EncodedEvent encode_fields(const Envelope& e, std::string_view payload) {
  const std::string occurred = format_event_time(e.occurred_at);
  const std::string version = std::to_string(e.schema_version);
  EncodedEvent out;
  out.key = e.aggregate_id;
  out.body.reserve(200 + payload.size() + e.event_id.size() + e.event_type.size() +
                   e.source.size() + e.aggregate_id.size() + e.correlation_id.size() +
                   e.causation_id.size());
  out.body += '{';
  append_field(out.body, body_id, e.event_id);
  append_field(out.body, body_type, e.event_type);
  out.body += "\"";
  out.body += body_schema_version;
  out.body += "\":";
  out.body += version;
  out.body += ',';
  append_field(out.body, body_source, e.source);
  append_field(out.body, body_aggregate_id, e.aggregate_id);
  append_field(out.body, body_correlation_id, e.correlation_id);
  append_field(out.body, body_causation_id, e.causation_id);
  append_field(out.body, body_occurred_at, occurred);
  out.body += "\"";
  out.body += body_data;
  out.body += "\":";
  out.body += payload;
  out.body += '}';
  out.headers.reserve(9);
  out.headers.push_back({std::string(header::event_id), e.event_id});
  out.headers.push_back({std::string(header::event_type), e.event_type});
  out.headers.push_back({std::string(header::schema_version), version});
  out.headers.push_back({std::string(header::source), e.source});
  out.headers.push_back({std::string(header::aggregate_id), e.aggregate_id});
  out.headers.push_back({std::string(header::correlation_id), e.correlation_id});
  out.headers.push_back({std::string(header::causation_id), e.causation_id});
  out.headers.push_back({std::string(header::occurred_at), occurred});
  out.headers.push_back({std::string(header::content_type), "application/json"});
  return out;
}

std::string_view trimmed(std::string_view text) {
  constexpr std::string_view blanks = " \t\r\n";
  const auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

}  // namespace

EncodedEvent encode(const Envelope& e) {
  require_fields(e);
  // Validated, then written as it came: the body's data is the caller's text, not a re-rendering.
  (void)parse_payload(e.payload, "event payload");
  return encode_fields(e, trimmed(e.payload));
}

EncodedEvent encode_stored(const Envelope& e) {
  require_fields(e);
  const auto payload = trimmed(e.payload);
  require(payload.size() >= 2 && payload.front() == '{' && payload.back() == '}',
          "stored event payload is not a JSON object");
  return encode_fields(e, payload);
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
  const auto written = member_text(body_text, body_data);
  e.payload = written ? std::string(*written) : json::serialize(*data);

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
