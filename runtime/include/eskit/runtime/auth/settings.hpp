#pragma once
// A service's JWT settings through the config module, so keys come from a Kubernetes Secret
// (ESKIT_AUTH_JWT_KEY_FILE=/run/secrets/jwt/public.pem) and never from generated source:
//
//   config::Schema schema;
//   auth::declare_auth_settings(schema);
//   config::Config config = config::load_or_exit(schema, sources, std::cerr);
//   auth::AuthSettings auth = auth::auth_settings_or_exit(config, std::cerr);
//   auth::Guard guard{auth.verifier, auth.guard};
//
// The settings, each an ESKIT_AUTH_... variable or <VAR>_FILE naming a mounted file:
//   auth.jwt.algorithm           RS256 (default) or HS256
//   auth.jwt.key                 required, secret: HS256 secret or RS256 public key (PEM)
//   auth.jwt.previousKey         secret: the key being rotated out; "" when none
//   auth.jwt.issuer              required
//   auth.jwt.audience            required, a list
//   auth.jwt.leeway              30s
//   auth.jwt.signingKey          secret: the RS256 private key of the service that issues
//                                tokens; "" everywhere else
//   auth.jwt.tokenLifetime       15m
//   auth.trustForwardedIdentity  false
#include <iosfwd>
#include <optional>
#include <utility>
#include <vector>

#include "eskit/runtime/auth/clock.hpp"
#include "eskit/runtime/auth/guard.hpp"
#include "eskit/runtime/auth/signer.hpp"
#include "eskit/runtime/auth/verifier.hpp"
#include "eskit/runtime/config/config.hpp"
#include "eskit/runtime/config/problem.hpp"
#include "eskit/runtime/config/schema.hpp"

namespace eskit::runtime::auth {

void declare_auth_settings(config::Schema& schema);

struct AuthSettings {
  JwtVerifier verifier;
  // With HS256 always (whoever verifies can sign); with RS256 only when auth.jwt.signingKey
  // is set, which it is in the one service that logs people in.
  std::optional<JwtSigner> signer;
  GuardOptions guard;
};

// What config::load cannot check: the algorithm's name, that keys parse and are strong
// enough, that the signing key belongs to the verification key.
class AuthSettingsResult {
 public:
  explicit AuthSettingsResult(AuthSettings settings) : settings_(std::move(settings)) {}
  explicit AuthSettingsResult(std::vector<config::Problem> problems)
      : problems_(std::move(problems)) {}

  [[nodiscard]] bool ok() const { return settings_.has_value(); }
  [[nodiscard]] const AuthSettings& settings() const { return settings_.value(); }
  [[nodiscard]] const std::vector<config::Problem>& problems() const { return problems_; }

 private:
  std::optional<AuthSettings> settings_;
  std::vector<config::Problem> problems_;
};

// `config` must come from a schema declare_auth_settings was applied to.
[[nodiscard]] AuthSettingsResult read_auth_settings(const config::Config& config, Clock clock = {});

// For a service's main(): the settings, or the problems on `err` and
// exit(config::exit_config_error), as config::load_or_exit does.
[[nodiscard]] AuthSettings auth_settings_or_exit(const config::Config& config, std::ostream& err);

}  // namespace eskit::runtime::auth
