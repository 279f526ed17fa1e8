// The envelope's wire format: what encode() writes, decode() reads back, and what decode()
// refuses (each refusal is what a dead-letter message will say).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <regex>

#include "eskit/runtime/log/correlation.hpp"
#include "eskit/runtime/messaging/envelope.hpp"
#include "messaging/encode_stored.hpp"

namespace eskit::runtime::messaging {
namespace {

std::vector<kafka::HeaderView> views(const std::vector<kafka::Header>& headers) {
  std::vector<kafka::HeaderView> out;
  for (const auto& h : headers) out.push_back({h.name, h.value});
  return out;
}

Envelope sample() {
  auto e = Envelope::make("OrderPlaced", "ordering", "order-7", R"({"total":12.5,"lines":[1,2]})",
                          "corr-1", "cmd-9", 2);
  return e;
}

TEST(Envelope, RoundTripsThroughHeadersAndBody) {
  const auto e = sample();
  const auto wire = encode(e);
  EXPECT_EQ(wire.key, "order-7");
  const auto back = decode(wire.body, views(wire.headers));
  EXPECT_EQ(back.event_id, e.event_id);
  EXPECT_EQ(back.event_type, "OrderPlaced");
  EXPECT_EQ(back.schema_version, 2);
  EXPECT_EQ(back.source, "ordering");
  EXPECT_EQ(back.aggregate_id, "order-7");
  EXPECT_EQ(back.correlation_id, "corr-1");
  EXPECT_EQ(back.causation_id, "cmd-9");
  EXPECT_EQ(back.occurred_at, e.occurred_at);
  EXPECT_EQ(back.payload, e.payload);
}

TEST(Envelope, BodyCarriesThePayloadAsWrittenAndEscapesTheFields) {
  auto e = sample();
  e.payload = " {\"total\": 1e2, \"note\": \"caf\u00e9\"}\n";
  e.aggregate_id = "order \"7\" \\ x";
  e.correlation_id = "line\nbreak\ttab\x01";
  const auto wire = encode(e);
  EXPECT_NE(wire.body.find(R"("data":{"total": 1e2, "note": "café"}})"), std::string::npos)
      << wire.body;
  const auto back = decode(wire.body, views(wire.headers));
  EXPECT_EQ(back.aggregate_id, e.aggregate_id);
  EXPECT_EQ(back.correlation_id, e.correlation_id);
  EXPECT_EQ(back.payload, R"({"total": 1e2, "note": "café"})") << "as the producer wrote it";
}

// Found by fuzzing (tests/fuzz/envelope_decoder/number-drift): Boost.JSON 1.81 reads long
// numbers to a nearby double, so a payload serialized from the parse changed at every hop.
TEST(Envelope, DecodePassesTheDataOnAsWritten) {
  auto e = sample();
  e.payload = R"({"total":99888888888888888888888888888888.5,"ids":[12345678901234567890123],)"
              R"("nested":{"s":"a \"}\" b","n":0.30000000000000004}})";
  const auto wire = encode(e);
  const auto once = decode(wire.body, views(wire.headers));
  EXPECT_EQ(once.payload, e.payload);
  const auto again = encode(once);
  EXPECT_EQ(decode(again.body, views(again.headers)).payload, e.payload);

  // A producer that writes `data` with escapes in its key, or twice, gets the parsed value.
  std::string escaped = wire.body;
  escaped.replace(escaped.find(R"("data":)"), 7, R"("d\u0061ta":)");
  EXPECT_EQ(boost::json::parse(decode(escaped, views(wire.headers)).payload),
            boost::json::parse(e.payload));
}

TEST(Envelope, StoredEncodingSkipsTheParseButNotTheShape) {
  auto e = sample();
  EXPECT_EQ(encode_stored(e).body, encode(e).body);
  e.payload = "[1]";
  EXPECT_THROW(encode_stored(e), EnvelopeError);
  e.payload = "";
  EXPECT_THROW(encode_stored(e), EnvelopeError);
}

TEST(Envelope, EventIdsAreUuidV4) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  const auto a = new_event_id();
  EXPECT_TRUE(std::regex_match(a, uuid)) << a;
  EXPECT_NE(a, new_event_id());
}

TEST(Envelope, TimestampsAreIsoUtcWithMicroseconds) {
  const EventTime t = std::chrono::sys_days(std::chrono::year(2024) / 5 / 1) +
                      std::chrono::hours(9) + std::chrono::minutes(30) +
                      std::chrono::microseconds(125);
  EXPECT_EQ(format_event_time(t), "2024-05-01T09:30:00.000125Z");
  EXPECT_EQ(parse_event_time("2024-05-01T09:30:00.000125Z"), t);
  EXPECT_THROW(parse_event_time("2024-05-01 09:30:00"), EnvelopeError);
  EXPECT_THROW(parse_event_time("2024-13-01T09:30:00.000000Z"), EnvelopeError);
  // Found by fuzzing (tests/fuzz/envelope_decoder/signed-year): numbers with a sign or a blank
  // in their digits were read, and a year of -13 decoded but could never be encoded again.
  for (const char* bent : {"-013-12-08T02:00:00.000000Z", "+024-05-01T09:30:00.000125Z",
                           " 024-05-01T09:30:00.000125Z", "2024-05-01T09:30:00.-00125Z"})
    EXPECT_THROW(parse_event_time(bent), EnvelopeError) << bent;
}

TEST(Envelope, EncodeRefusesWhatCouldNeverBeRead) {
  auto e = sample();
  e.payload = "[1]";
  EXPECT_THROW(encode(e), EnvelopeError);
  e = sample();
  e.aggregate_id.clear();
  EXPECT_THROW(encode(e), EnvelopeError);
}

TEST(Envelope, DecodeNamesWhatIsWrong) {
  const auto wire = encode(sample());
  auto message_of = [](auto&& f) {
    try {
      f();
    } catch (const EnvelopeError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message_of([&] { decode("{not json", views(wire.headers)); }).find("not valid JSON"),
            std::string::npos);
  auto headers = views(wire.headers);
  headers.erase(headers.begin());  // eskit-event-id
  EXPECT_NE(
      message_of([&] { decode(wire.body, headers); }).find("header 'eskit-event-id' is missing"),
      std::string::npos);
  auto lying = wire.headers;
  lying[1].value = "OrderCancelled";
  EXPECT_NE(message_of([&] { decode(wire.body, views(lying)); }).find("says 'OrderCancelled'"),
            std::string::npos);
}

TEST(Envelope, EventsTakeTheCorrelationIdOfTheWorkInHand) {
  EXPECT_EQ(Envelope::make("OrderPlaced", "ordering", "o-1", "{}").correlation_id, "");
  log::CorrelationScope request("req-17");
  EXPECT_EQ(Envelope::make("OrderPlaced", "ordering", "o-1", "{}").correlation_id, "req-17");
  EXPECT_EQ(Envelope::make("OrderPlaced", "ordering", "o-1", "{}", "saga-3").correlation_id,
            "saga-3")
      << "an explicit id wins";
}

}  // namespace
}  // namespace eskit::runtime::messaging
