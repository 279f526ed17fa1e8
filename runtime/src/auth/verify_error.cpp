#include "eskit/runtime/auth/verify_error.hpp"

namespace eskit::runtime::auth {

std::string_view to_string(VerifyErrc code) noexcept {
  switch (code) {
    case VerifyErrc::malformed:
      return "malformed";
    case VerifyErrc::too_large:
      return "too_large";
    case VerifyErrc::unsupported_algorithm:
      return "unsupported_algorithm";
    case VerifyErrc::algorithm_mismatch:
      return "algorithm_mismatch";
    case VerifyErrc::bad_signature:
      return "bad_signature";
    case VerifyErrc::expired:
      return "expired";
    case VerifyErrc::not_yet_valid:
      return "not_yet_valid";
    case VerifyErrc::wrong_issuer:
      return "wrong_issuer";
    case VerifyErrc::wrong_audience:
      return "wrong_audience";
    case VerifyErrc::missing_claim:
      return "missing_claim";
  }
  return "unknown";
}

}  // namespace eskit::runtime::auth
