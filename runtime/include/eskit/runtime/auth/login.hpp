#pragma once
// The login endpoint pattern: check a login id and password against the stored scrypt hash,
// answer with a token. Unknown ids and wrong passwords get the same 401, in the same time.
//
//   router.post("/user/login", auth::login_handler(signer, [&](const std::string& id) {
//     return members.find_login(id);  // std::optional<auth::Account>
//   }, {.id_field = "loginId"}));
//
// POST {"loginId": "hong", "password": "..."} →
//   200 {"access_token": "...", "token_type": "Bearer", "expires_in": 900}, Cache-Control: no-store
//   400 invalid-field (missing, not a string, longer than the limits)
//   401 invalid-credentials
// Rate limiting of attempts is the gateway's (or the service's) job, not this handler's.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "eskit/runtime/auth/password.hpp"
#include "eskit/runtime/auth/signer.hpp"
#include "eskit/runtime/http/problem.hpp"
#include "eskit/runtime/http/router.hpp"

namespace eskit::runtime::auth {

struct Account {
  std::string subject{};        // becomes sub
  std::string password_hash{};  // as written by hash_password
  std::vector<std::string> roles{};
};

// nullopt for an unknown (or disabled) login id. Called from the server's worker threads.
using AccountLookup = std::function<std::optional<Account>(const std::string& login_id)>;

struct LoginOptions {
  std::string id_field = "username";
  std::string password_field = "password";
  std::size_t max_id_bytes = 256;
  // What the stored hashes use, so a login for an unknown id costs what a real check costs.
  ScryptParams params{};
  // Called after a successful login whose stored hash is weaker than `params`, with a new
  // hash to store; empty: hashes are never upgraded here.
  std::function<void(const Account& account, const std::string& new_hash)> rehashed{};
};

[[nodiscard]] http::Handler login_handler(JwtSigner signer, AccountLookup find_account,
                                          LoginOptions options = {});

// The two answers of any login, for one that is not login_handler's (a generated command that
// issues a token checks credentials its own way): the refusal, the same for an unknown id and
// a wrong password, and the token, never cached.
[[nodiscard]] http::Problem invalid_credentials();
[[nodiscard]] http::Response token_answer(const IssuedToken& issued);

}  // namespace eskit::runtime::auth
