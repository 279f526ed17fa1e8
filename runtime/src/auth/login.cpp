#include "eskit/runtime/auth/login.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "eskit/runtime/http/problem.hpp"

namespace eskit::runtime::auth {

namespace {

std::string string_field(const boost::json::value& body, const std::string& name,
                         std::size_t max_bytes) {
  const boost::json::value* value = body.is_object() ? body.as_object().if_contains(name) : nullptr;
  if (!value || !value->is_string()) throw http::Problem::invalid_field(name, "must be a string");
  if (value->get_string().size() > max_bytes)
    throw http::Problem::invalid_field(name,
                                       "must be at most " + std::to_string(max_bytes) + " bytes");
  return std::string(value->get_string());
}

}  // namespace

http::Handler login_handler(JwtSigner signer, AccountLookup find_account, LoginOptions options) {
  return [signer = std::move(signer), find_account = std::move(find_account),
          options = std::move(options)](http::Request& request) {
    const boost::json::value& body = request.json();
    std::string login_id = string_field(body, options.id_field, options.max_id_bytes);
    std::string password = string_field(body, options.password_field, max_password_bytes);

    std::optional<Account> account = find_account(login_id);
    if (!account) {
      simulate_password_check(password, options.params);
      throw invalid_credentials();
    }
    if (!verify_password(password, account->password_hash)) throw invalid_credentials();
    if (options.rehashed && needs_rehash(account->password_hash, options.params))
      options.rehashed(*account, hash_password(password, options.params));

    return token_answer(signer.sign({.subject = account->subject, .roles = account->roles}));
  };
}

http::Problem invalid_credentials() {
  // The same answer whether the id is unknown or the password wrong: which one it was would
  // tell an attacker who has an account.
  return http::Problem{401, "invalid-credentials", "wrong login id or password"}.header(
      "WWW-Authenticate", "Bearer");
}

http::Response token_answer(const IssuedToken& issued) {
  http::Response response = http::Response::json(
      boost::json::object{{"access_token", issued.token},
                          {"token_type", "Bearer"},
                          {"expires_in", (issued.expires_at - issued.issued_at).count()}});
  // RFC 6749 §5.1: a response carrying a token must not be cached anywhere.
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Pragma", "no-cache");
  return response;
}

}  // namespace eskit::runtime::auth
