// The login pattern end to end: the right password gets a token the guard accepts; a wrong
// password and an unknown id get the same 401; input is data, checked for size and type.
#include "eskit/runtime/auth/login.hpp"

#include <gtest/gtest.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <mutex>

#include "eskit/runtime/auth/guard.hpp"
#include "eskit/runtime/http/client.hpp"
#include "served.hpp"
#include "test_keys.hpp"

namespace eskit::runtime::auth::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

constexpr ScryptParams fast{.n = 1024, .r = 8, .p = 1};

Clock fixed_clock() {
  return [] { return std::chrono::system_clock::time_point{test_now}; };
}

// A stand-in for the members table, keyed by login id as the service would query it.
struct Members {
  std::mutex mutex;
  std::map<std::string, Account> rows;
  std::vector<std::string> looked_up;
  std::map<std::string, std::string> rehashed;

  std::optional<Account> find(const std::string& login_id) {
    std::lock_guard lock(mutex);
    looked_up.push_back(login_id);
    auto it = rows.find(login_id);
    if (it == rows.end()) return std::nullopt;
    return it->second;
  }
};

class LoginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    members.rows["hong"] = {"hong", hash_password("petmily-1234", fast), {"MEMBER"}};
    members.rows["admin-kim"] = {
        "admin-kim", hash_password("kim-admin-pw", fast), {"MEMBER", "ADMIN"}};
  }

  SignerOptions signer_options{.algorithm = Algorithm::rs256,
                               .key = rsa_keys().private_pem,
                               .issuer = "https://login.petmily.test",
                               .audiences = {"petmily"},
                               .lifetime = 15min,
                               .clock = fixed_clock()};
  JwtVerifier verifier{{.algorithm = Algorithm::rs256,
                        .keys = {rsa_keys().public_pem},
                        .issuer = "https://login.petmily.test",
                        .audiences = {"petmily"},
                        .clock = fixed_clock()}};
  Members members;
  LoginOptions login_options{
      .id_field = "loginId",
      .params = fast,
      .rehashed = [this](const Account& account, const std::string& new_hash) {
        std::lock_guard lock(members.mutex);
        members.rehashed[account.subject] = new_hash;
      }};

  http::Router routes() {
    http::Router router;
    router.post("/user/login",
                login_handler(
                    JwtSigner(signer_options),
                    [this](const std::string& id) { return members.find(id); }, login_options));
    Guard guard{verifier};
    router.get("/me", guard.protect([](http::Request&, const Identity& who) {
      return http::Response::text(who.subject);
    }));
    return router;
  }
  std::unique_ptr<Served> server;
  http::Client client;

  http::ClientResponse login(const json::value& body) {
    if (!server) server = std::make_unique<Served>(routes());
    auto result = client.call(http::ClientRequest::json("POST", server->url("/user/login"), body));
    EXPECT_TRUE(result);
    return result ? result.response() : http::ClientResponse{};
  }
};

TEST_F(LoginTest, RightPasswordGetsATokenTheGuardAccepts) {
  auto response = login(json::object{{"loginId", "hong"}, {"password", "petmily-1234"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  json::value body = response.json();
  EXPECT_EQ(body.at("token_type"), "Bearer");
  EXPECT_EQ(body.at("expires_in"), 900);
  std::string token(body.at("access_token").as_string());

  VerifyResult claims = verifier.verify(token);
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->subject, "hong");
  EXPECT_EQ(claims->roles, std::vector<std::string>{"MEMBER"});

  http::ClientRequest me = http::ClientRequest::get(server->url("/me"));
  me.headers.set("Authorization", "Bearer " + token);
  auto who = client.call(me);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->status, 200);
  EXPECT_EQ(who->body, "hong");
}

TEST_F(LoginTest, AdminGetsTheAdminRole) {
  auto response = login(json::object{{"loginId", "admin-kim"}, {"password", "kim-admin-pw"}});
  ASSERT_EQ(response.status, 200) << response.body;
  auto claims = verifier.verify(std::string(response.json().at("access_token").as_string()));
  ASSERT_TRUE(claims);
  EXPECT_TRUE(claims->has_role("ADMIN"));
}

TEST_F(LoginTest, WrongPasswordAndUnknownIdGetTheSame401) {
  auto wrong = login(json::object{{"loginId", "hong"}, {"password", "petmily-1235"}});
  auto unknown = login(json::object{{"loginId", "nobody"}, {"password", "whatever"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.json().at("type"), "urn:eskit:problem:invalid-credentials");
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.headers.get("WWW-Authenticate"), unknown.headers.get("WWW-Authenticate"));
  EXPECT_TRUE(wrong.headers.contains("WWW-Authenticate"));
}

TEST_F(LoginTest, SqlLookingLoginIdIsLookedUpVerbatimAndRefused) {
  const std::string sql = "hong' OR '1'='1'; drop table users; --";
  auto response = login(json::object{{"loginId", sql}, {"password", "' OR 1=1 --"}});
  EXPECT_EQ(response.status, 401);
  std::lock_guard lock(members.mutex);
  EXPECT_EQ(members.looked_up, std::vector<std::string>{sql});
}

TEST_F(LoginTest, MissingOversizedOrMistypedFieldsAre400) {
  EXPECT_EQ(login(json::object{{"loginId", "hong"}}).status, 400);
  EXPECT_EQ(login(json::object{{"password", "petmily-1234"}}).status, 400);
  EXPECT_EQ(login(json::object{{"loginId", 7}, {"password", "x"}}).status, 400);
  EXPECT_EQ(login(json::value("hong:petmily-1234")).status, 400);
  auto long_id = login(json::object{{"loginId", std::string(257, 'h')}, {"password", "x"}});
  EXPECT_EQ(long_id.status, 400);
  EXPECT_EQ(long_id.json().at("errors").at(0).at("field"), "loginId");
  auto long_password =
      login(json::object{{"loginId", "hong"}, {"password", std::string(1025, 'p')}});
  EXPECT_EQ(long_password.status, 400);
  std::lock_guard lock(members.mutex);
  EXPECT_TRUE(members.looked_up.empty());
}

TEST_F(LoginTest, NonJsonBodyIs415) {
  server = std::make_unique<Served>(routes());
  http::ClientRequest request;
  request.method = "POST";
  request.url = server->url("/user/login");
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  request.body = "loginId=hong&password=petmily-1234";
  auto result = client.call(request);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 415);
}

TEST_F(LoginTest, WeakStoredHashIsUpgradedAfterASuccessfulLogin) {
  login_options.params = {.n = 2048, .r = 8, .p = 1};
  auto response = login(json::object{{"loginId", "hong"}, {"password", "petmily-1234"}});
  ASSERT_EQ(response.status, 200) << response.body;
  std::lock_guard lock(members.mutex);
  ASSERT_EQ(members.rehashed.count("hong"), 1u);
  EXPECT_EQ(parse_password_hash(members.rehashed["hong"])->params.n, 2048u);
  EXPECT_TRUE(verify_password("petmily-1234", members.rehashed["hong"]));
}

}  // namespace
}  // namespace eskit::runtime::auth::test
