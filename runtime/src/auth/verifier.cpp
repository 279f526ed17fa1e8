#include "eskit/runtime/auth/verifier.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include "base64.hpp"
#include "crypto.hpp"
#include "eskit/runtime/http/headers.hpp"

namespace eskit::runtime::auth {

namespace json = boost::json;
using std::chrono::sys_seconds;

const Claims& VerifyResult::claims() const {
  if (const Claims* claims = std::get_if<Claims>(&value_)) return *claims;
  throw std::logic_error("claims() of a refused token: " + std::get<VerifyError>(value_).message);
}

const VerifyError& VerifyResult::error() const {
  if (const VerifyError* error = std::get_if<VerifyError>(&value_)) return *error;
  throw std::logic_error("error() of a valid token");
}

struct JwtVerifier::Impl {
  VerifierOptions options;
  std::vector<detail::Pkey> public_keys;  // RS256 only

  [[nodiscard]] bool signature_matches(std::string_view signing_input,
                                       std::string_view signature) const {
    if (options.algorithm == Algorithm::hs256) {
      for (const std::string& secret : options.keys)
        if (detail::equal_in_constant_time(detail::hmac_sha256(secret, signing_input), signature))
          return true;
      return false;
    }
    for (const detail::Pkey& key : public_keys)
      if (detail::rsa_sha256_verify(key.get(), signing_input, signature)) return true;
    return false;
  }
};

namespace {

VerifyError refuse(VerifyErrc code, std::string message) { return {code, std::move(message)}; }

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

// 9999-12-31T23:59:59Z: beyond it a NumericDate is a bug or an attack on time arithmetic.
constexpr std::int64_t max_numeric_date = 253402300799;

// RFC 7519 §2: seconds since the epoch, possibly fractional; nullopt when absent.
// Throws nothing: a bad value is reported through `bad`.
std::optional<sys_seconds> numeric_date(const json::object& claims, std::string_view name,
                                        bool& bad) {
  const json::value* v = claims.if_contains(name);
  if (!v) return std::nullopt;
  double seconds = 0;
  if (v->is_int64()) {
    seconds = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    seconds = static_cast<double>(v->get_uint64());
  } else if (v->is_double()) {
    seconds = std::floor(v->get_double());
  } else {
    bad = true;
    return std::nullopt;
  }
  if (!std::isfinite(seconds) || seconds < 0 || seconds > static_cast<double>(max_numeric_date)) {
    bad = true;
    return std::nullopt;
  }
  return sys_seconds{std::chrono::seconds{static_cast<std::int64_t>(seconds)}};
}

// Absent → empty string; present but not a string → nullopt.
std::optional<std::string> optional_string(const json::object& claims, std::string_view name) {
  const json::value* v = claims.if_contains(name);
  if (!v) return std::string();
  if (!v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

// A string or an array of strings (aud, roles); nullopt for anything else.
std::optional<std::vector<std::string>> string_list(const json::value& v, bool split_spaces) {
  std::vector<std::string> out;
  if (v.is_string()) {
    std::string_view text = v.get_string();
    if (!split_spaces) return std::vector<std::string>{std::string(text)};
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find(' ', start);
      if (end == std::string_view::npos) end = text.size();
      if (end > start) out.emplace_back(text.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }
  if (!v.is_array()) return std::nullopt;
  for (const json::value& item : v.get_array()) {
    if (!item.is_string()) return std::nullopt;
    out.emplace_back(item.get_string());
  }
  return out;
}

}  // namespace

JwtVerifier::JwtVerifier(VerifierOptions options) {
  auto impl = std::make_shared<Impl>();
  if (options.keys.empty()) throw std::invalid_argument("the JWT verifier has no key");
  if (options.issuer.empty())
    throw std::invalid_argument("the JWT verifier needs the issuer tokens must name");
  if (options.audiences.empty())
    throw std::invalid_argument("the JWT verifier needs the audience tokens must name");
  if (options.leeway.count() < 0) throw std::invalid_argument("the JWT leeway is negative");
  for (const std::string& key : options.keys) {
    if (options.algorithm == Algorithm::hs256)
      detail::check_hmac_secret(key);
    else
      impl->public_keys.push_back(detail::rsa_public_key_from_pem(key));
  }
  if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
  impl->options = std::move(options);
  impl_ = std::move(impl);
}

VerifyResult JwtVerifier::verify(std::string_view token) const {
  const VerifierOptions& options = impl_->options;
  if (token.size() > options.max_token_bytes)
    return refuse(VerifyErrc::too_large,
                  "the token is longer than " + std::to_string(options.max_token_bytes) + " bytes");

  // Header, then signature, and only then the payload: nothing an unauthenticated sender
  // wrote is parsed beyond what choosing the check needs.
  std::size_t first_dot = token.find('.');
  std::size_t second_dot =
      first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos ||
      token.find('.', second_dot + 1) != std::string_view::npos)
    return refuse(VerifyErrc::malformed, "the token is not three dot-separated parts");
  std::string_view header_part = token.substr(0, first_dot);
  std::string_view payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
  std::string_view signature_part = token.substr(second_dot + 1);

  auto header_text = detail::base64url_decode(header_part);
  if (!header_text) return refuse(VerifyErrc::malformed, "the token header is not base64url");
  auto header = parse_object(*header_text);
  if (!header) return refuse(VerifyErrc::malformed, "the token header is not a JSON object");
  const json::value* alg = header->if_contains("alg");
  if (!alg || !alg->is_string())
    return refuse(VerifyErrc::malformed, "the token header has no alg");
  std::string_view alg_name = alg->get_string();
  auto algorithm = parse_algorithm(alg_name);
  if (!algorithm) {
    if (http::iequals(alg_name, "none"))
      return refuse(VerifyErrc::unsupported_algorithm, "unsigned tokens (alg none) are refused");
    return refuse(VerifyErrc::unsupported_algorithm, "the token's algorithm is not supported");
  }
  if (*algorithm != options.algorithm)
    return refuse(VerifyErrc::algorithm_mismatch,
                  "the token is signed with " + std::string(to_string(*algorithm)) +
                      " but this service accepts " + std::string(to_string(options.algorithm)) +
                      " only");
  // RFC 7515 §4.1.11: extensions marked critical must be understood, and none are.
  if (header->contains("crit"))
    return refuse(VerifyErrc::unsupported_algorithm,
                  "the token has critical header parameters this service does not support");

  auto signature = detail::base64url_decode(signature_part);
  if (!signature) return refuse(VerifyErrc::malformed, "the token signature is not base64url");
  if (!impl_->signature_matches(token.substr(0, second_dot), *signature))
    return refuse(VerifyErrc::bad_signature, "the token's signature is not valid");

  auto payload_text = detail::base64url_decode(payload_part);
  if (!payload_text) return refuse(VerifyErrc::malformed, "the token payload is not base64url");
  auto payload = parse_object(*payload_text);
  if (!payload) return refuse(VerifyErrc::malformed, "the token payload is not a JSON object");

  Claims claims;
  bool bad_date = false;
  claims.expires_at = numeric_date(*payload, "exp", bad_date);
  claims.not_before = numeric_date(*payload, "nbf", bad_date);
  claims.issued_at = numeric_date(*payload, "iat", bad_date);
  if (bad_date)
    return refuse(VerifyErrc::malformed, "exp, nbf or iat of the token is not a NumericDate");
  auto subject = optional_string(*payload, "sub");
  auto issuer = optional_string(*payload, "iss");
  auto token_id = optional_string(*payload, "jti");
  if (!subject || !issuer || !token_id)
    return refuse(VerifyErrc::malformed, "sub, iss or jti of the token is not a string");
  claims.subject = std::move(*subject);
  claims.issuer = std::move(*issuer);
  claims.token_id = std::move(*token_id);
  if (const json::value* aud = payload->if_contains("aud")) {
    auto audience = string_list(*aud, false);
    if (!audience)
      return refuse(VerifyErrc::malformed, "aud of the token is not a string or list of strings");
    claims.audience = std::move(*audience);
  }
  if (const json::value* roles = payload->if_contains(options.roles_claim)) {
    auto list = string_list(*roles, true);
    if (!list)
      return refuse(VerifyErrc::malformed,
                    "the roles claim of the token is not a string or list of strings");
    claims.roles = std::move(*list);
  }

  auto now = options.clock();
  if (!claims.expires_at && options.require_expiry)
    return refuse(VerifyErrc::missing_claim, "the token has no exp claim");
  if (claims.expires_at && now >= *claims.expires_at + options.leeway)
    return refuse(VerifyErrc::expired, "the token has expired");
  if (claims.not_before && now < *claims.not_before - options.leeway)
    return refuse(VerifyErrc::not_yet_valid, "the token is not valid yet");
  if (!payload->contains("iss"))
    return refuse(VerifyErrc::missing_claim, "the token has no iss claim");
  if (claims.issuer != options.issuer)
    return refuse(VerifyErrc::wrong_issuer, "the token's issuer is not accepted");
  if (!payload->contains("aud"))
    return refuse(VerifyErrc::missing_claim, "the token has no aud claim");
  bool audience_ok = false;
  for (const std::string& wanted : options.audiences)
    for (const std::string& named : claims.audience) audience_ok = audience_ok || named == wanted;
  if (!audience_ok)
    return refuse(VerifyErrc::wrong_audience, "the token is not meant for this service");
  if (claims.subject.empty())
    return refuse(VerifyErrc::missing_claim, "the token has no sub claim");
  claims.json = std::move(*payload_text);
  return claims;
}

}  // namespace eskit::runtime::auth
