#include "eskit/runtime/auth/signer.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <stdexcept>

#include "base64.hpp"
#include "crypto.hpp"

namespace eskit::runtime::auth {

namespace json = boost::json;

struct JwtSigner::Impl {
  SignerOptions options;
  detail::Pkey private_key;  // RS256 only
  std::string encoded_header;
};

JwtSigner::JwtSigner(SignerOptions options) {
  auto impl = std::make_shared<Impl>();
  if (options.algorithm == Algorithm::hs256)
    detail::check_hmac_secret(options.key);
  else
    impl->private_key = detail::rsa_private_key_from_pem(options.key);
  if (options.issuer.empty()) throw std::invalid_argument("the JWT signer needs an issuer");
  if (options.audiences.empty()) throw std::invalid_argument("the JWT signer needs an audience");
  if (options.lifetime.count() <= 0)
    throw std::invalid_argument("the token lifetime must be positive");
  if (!options.clock) options.clock = [] { return std::chrono::system_clock::now(); };
  json::object header{{"alg", to_string(options.algorithm)}, {"typ", "JWT"}};
  if (!options.key_id.empty()) header["kid"] = options.key_id;
  impl->encoded_header = detail::base64url_encode(json::serialize(header));
  impl->options = std::move(options);
  impl_ = std::move(impl);
}

IssuedToken JwtSigner::sign(const TokenRequest& request) const {
  const SignerOptions& options = impl_->options;
  if (request.subject.empty()) throw std::invalid_argument("a token needs a subject");
  auto lifetime = request.lifetime.value_or(options.lifetime);
  if (lifetime.count() <= 0) throw std::invalid_argument("the token lifetime must be positive");

  json::object claims;
  if (!request.extra_claims_json.empty()) {
    boost::system::error_code ec;
    json::value extra = json::parse(request.extra_claims_json, ec);
    if (ec || !extra.is_object()) throw std::invalid_argument("extra claims must be a JSON object");
    claims = std::move(extra.as_object());
    for (std::string_view reserved : {"sub", "roles", "iss", "aud", "iat", "nbf", "exp", "jti"})
      if (claims.contains(reserved))
        throw std::invalid_argument("extra claims may not redefine " + std::string(reserved));
  }

  IssuedToken issued;
  issued.issued_at = std::chrono::floor<std::chrono::seconds>(options.clock());
  issued.expires_at = issued.issued_at + lifetime;
  issued.id = detail::base64url_encode(detail::random_bytes(16));
  json::array roles;
  for (const std::string& role : request.roles) roles.emplace_back(role);
  claims["sub"] = request.subject;
  claims["roles"] = std::move(roles);
  claims["iss"] = options.issuer;
  if (options.audiences.size() == 1) {
    claims["aud"] = options.audiences.front();
  } else {
    json::array audiences;
    for (const std::string& audience : options.audiences) audiences.emplace_back(audience);
    claims["aud"] = std::move(audiences);
  }
  std::int64_t iat = issued.issued_at.time_since_epoch().count();
  claims["iat"] = iat;
  claims["nbf"] = iat;
  claims["exp"] = issued.expires_at.time_since_epoch().count();
  claims["jti"] = issued.id;

  std::string signing_input =
      impl_->encoded_header + '.' + detail::base64url_encode(json::serialize(claims));
  std::string signature = options.algorithm == Algorithm::hs256
                              ? detail::hmac_sha256(options.key, signing_input)
                              : detail::rsa_sha256_sign(impl_->private_key.get(), signing_input);
  issued.token = std::move(signing_input) + '.' + detail::base64url_encode(signature);
  return issued;
}

}  // namespace eskit::runtime::auth
