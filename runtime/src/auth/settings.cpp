#include "eskit/runtime/auth/settings.hpp"

#include <cstdlib>
#include <ostream>
#include <stdexcept>

#include "crypto.hpp"

namespace eskit::runtime::auth {

namespace {

using namespace std::chrono_literals;

constexpr std::string_view algorithm_name = "auth.jwt.algorithm";
constexpr std::string_view key_name = "auth.jwt.key";
constexpr std::string_view previous_key_name = "auth.jwt.previousKey";
constexpr std::string_view issuer_name = "auth.jwt.issuer";
constexpr std::string_view audience_name = "auth.jwt.audience";
constexpr std::string_view leeway_name = "auth.jwt.leeway";
constexpr std::string_view signing_key_name = "auth.jwt.signingKey";
constexpr std::string_view lifetime_name = "auth.jwt.tokenLifetime";
constexpr std::string_view trust_name = "auth.trustForwardedIdentity";

class Checker {
 public:
  explicit Checker(const config::Config& config) : config_(config) {}

  void fail(std::string_view setting, std::string message, std::string note = {}) {
    const config::Origin& origin = config_.origin(setting);
    std::string where = origin.kind == config::Origin::Kind::fallback ? "" : origin.where;
    problems_.push_back(
        {std::move(where), std::string(setting), std::move(message), std::move(note)});
  }
  // Runs a key check that throws std::invalid_argument, reporting its message.
  template <class Check>
  void key(std::string_view setting, Check check) {
    try {
      check();
    } catch (const std::invalid_argument& e) {
      fail(setting, e.what());
    }
  }
  std::vector<config::Problem>& problems() { return problems_; }

 private:
  const config::Config& config_;
  std::vector<config::Problem> problems_;
};

}  // namespace

void declare_auth_settings(config::Schema& schema) {
  using config::Visibility;
  schema
      .string(std::string(algorithm_name), "RS256",
              "JWS algorithm of the tokens: RS256 (services hold only the public key) or HS256")
      .string(std::string(key_name), config::required,
              "HS256 shared secret, or the token issuer's RS256 public key (PEM)",
              Visibility::secret)
      .string(std::string(previous_key_name), "",
              "the key being rotated out, still accepted until it is removed", Visibility::secret)
      .string(std::string(issuer_name), config::required, "the iss every token must name")
      .strings(std::string(audience_name), config::required,
               "aud values this service accepts; a token must name one")
      .duration(std::string(leeway_name), 30s, "clock skew tolerated on exp and nbf")
      .string(std::string(signing_key_name), "",
              "RS256 private key (PEM) of the service that issues tokens; empty elsewhere",
              Visibility::secret)
      .duration(std::string(lifetime_name), 15min, "lifetime of the tokens this service issues")
      .boolean(std::string(trust_name), false,
               "take the caller's identity from X-Eskit-Subject/X-Eskit-Roles; only behind a "
               "gateway no client can bypass");
}

AuthSettingsResult read_auth_settings(const config::Config& config, Clock clock) {
  Checker check(config);
  auto algorithm = parse_algorithm(config.string(algorithm_name));
  if (!algorithm)
    check.fail(algorithm_name, "unknown algorithm '" + config.string(algorithm_name) + "'",
               "expected RS256 or HS256");
  if (config.string(issuer_name).empty()) check.fail(issuer_name, "must not be empty");
  if (config.strings(audience_name).empty())
    check.fail(audience_name, "must name at least one audience");
  auto leeway = config.duration(leeway_name);
  if (leeway < 0ms) check.fail(leeway_name, "must not be negative");
  auto lifetime = config.duration(lifetime_name);
  if (lifetime < 1s) check.fail(lifetime_name, "must be at least 1s");
  if (!check.problems().empty() || !algorithm) return AuthSettingsResult(check.problems());

  std::vector<std::string> keys{config.string(key_name)};
  if (!config.string(previous_key_name).empty()) keys.push_back(config.string(previous_key_name));
  std::string_view key_settings[] = {key_name, previous_key_name};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    check.key(key_settings[i], [&] {
      if (*algorithm == Algorithm::hs256)
        detail::check_hmac_secret(keys[i]);
      else
        (void)detail::rsa_public_key_from_pem(keys[i]);
    });
  }
  const std::string& signing_key = config.string(signing_key_name);
  if (*algorithm == Algorithm::hs256 && !signing_key.empty())
    check.fail(signing_key_name, "must be empty with HS256",
               "HS256 signs with auth.jwt.key, the shared secret");
  if (*algorithm == Algorithm::rs256 && !signing_key.empty())
    check.key(signing_key_name, [&] { (void)detail::rsa_private_key_from_pem(signing_key); });
  if (!check.problems().empty()) return AuthSettingsResult(check.problems());

  VerifierOptions verifier_options{
      .algorithm = *algorithm,
      .keys = keys,
      .issuer = config.string(issuer_name),
      .audiences = config.strings(audience_name),
      .leeway = std::chrono::floor<std::chrono::seconds>(leeway),
      .clock = clock,
  };
  JwtVerifier verifier(std::move(verifier_options));
  std::optional<JwtSigner> signer;
  if (*algorithm == Algorithm::hs256 || !signing_key.empty()) {
    signer.emplace(SignerOptions{
        .algorithm = *algorithm,
        .key = *algorithm == Algorithm::hs256 ? keys.front() : signing_key,
        .issuer = config.string(issuer_name),
        .audiences = config.strings(audience_name),
        .lifetime = std::chrono::floor<std::chrono::seconds>(lifetime),
        .clock = clock,
    });
    // Tokens from a private key that does not match the public key would all be refused, by
    // this service and every other: better not to start.
    if (!verifier.verify(signer->sign({.subject = "eskit-settings-check"}).token)) {
      check.fail(signing_key_name, "is not the private key of auth.jwt.key",
                 "tokens it signed would be refused");
      return AuthSettingsResult(check.problems());
    }
  }
  GuardOptions guard;
  guard.forwarded.trusted = config.boolean(trust_name);
  return AuthSettingsResult(AuthSettings{std::move(verifier), std::move(signer), guard});
}

AuthSettings auth_settings_or_exit(const config::Config& config, std::ostream& err) {
  AuthSettingsResult result = read_auth_settings(config);
  if (!result.ok()) {
    err << config::format_problems(result.problems()) << std::flush;
    std::exit(config::exit_config_error);
  }
  return result.settings();
}

}  // namespace eskit::runtime::auth
