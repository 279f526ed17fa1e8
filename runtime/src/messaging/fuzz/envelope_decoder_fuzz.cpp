// libFuzzer target over the event envelope decoder, the first thing every consumer does with a
// message off the wire. The input is Kafka headers as `name=value` lines, a blank line, then the
// body. Any message must decode or be refused with EnvelopeError (which the inbox dead-letters),
// never crash, hang or leak; and what decodes must encode and decode back to itself.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "eskit/runtime/messaging/envelope.hpp"

namespace {

using eskit::runtime::kafka::HeaderView;
namespace messaging = eskit::runtime::messaging;

bool same(const messaging::Envelope& a, const messaging::Envelope& b) {
  return a.event_id == b.event_id && a.event_type == b.event_type &&
         a.schema_version == b.schema_version && a.source == b.source &&
         a.aggregate_id == b.aggregate_id && a.correlation_id == b.correlation_id &&
         a.causation_id == b.causation_id && a.occurred_at == b.occurred_at &&
         a.payload == b.payload;
}

void show(const char* what, const messaging::Envelope& e) {
  std::fprintf(stderr,
               "%s: id=%s type=%s version=%d source=%s aggregate=%s correlation=%s causation=%s "
               "occurred=%lld payload=%s\n",
               what, e.event_id.c_str(), e.event_type.c_str(), e.schema_version, e.source.c_str(),
               e.aggregate_id.c_str(), e.correlation_id.c_str(), e.causation_id.c_str(),
               static_cast<long long>(e.occurred_at.time_since_epoch().count()), e.payload.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::vector<HeaderView> headers;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const auto line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (line.empty()) break;  // the body follows
    const auto equals = line.find('=');
    headers.push_back(equals == std::string_view::npos
                          ? HeaderView{line, {}}
                          : HeaderView{line.substr(0, equals), line.substr(equals + 1)});
  }
  messaging::Envelope decoded;
  try {
    decoded = messaging::decode(rest, headers);
  } catch (const messaging::EnvelopeError&) {
    return 0;  // refused with a reason: what the inbox dead-letters
  }
  const auto wire = messaging::encode(decoded);
  std::vector<HeaderView> again;
  for (const auto& header : wire.headers) again.push_back({header.name, header.value});
  const auto back = messaging::decode(wire.body, again);
  if (!same(back, decoded)) {
    show("decoded", decoded);
    show("encoded and decoded again", back);
    std::abort();
  }
  return 0;
}
