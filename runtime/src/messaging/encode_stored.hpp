#pragma once
// The relay's encode(): the payload was checked by encode() when Outbox::append stored it, so
// it is only checked to be an object's text, not parsed again.
#include "eskit/runtime/messaging/envelope.hpp"

namespace eskit::runtime::messaging {

// Throws EnvelopeError for a missing field, or a payload that does not even look like an
// object (a row edited by hand).
EncodedEvent encode_stored(const Envelope& envelope);

}  // namespace eskit::runtime::messaging
