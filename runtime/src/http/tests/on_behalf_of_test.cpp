// Sync calls carry the caller's token, and only that.
#include "eskit/runtime/http/on_behalf_of.hpp"

#include <gtest/gtest.h>

namespace eskit::runtime::http {
namespace {

TEST(OnBehalfOf, TheIncomingBearerTokenGoesWithTheCall) {
  Headers headers;
  headers.set("Authorization", "Bearer abc.def.ghi");
  headers.set("Cookie", "session=1");
  const Request incoming("POST", "/applications", headers, "{}");
  const auto call = on_behalf_of(ClientRequest::get("http://user:8080/members/7"), incoming);
  ASSERT_TRUE(call.headers.get("Authorization"));
  EXPECT_EQ(*call.headers.get("Authorization"), "Bearer abc.def.ghi");
  EXPECT_FALSE(call.headers.get("Cookie")) << "nothing but the token is relayed";
  EXPECT_EQ(call.url, "http://user:8080/members/7");
}

TEST(OnBehalfOf, AnAnonymousRequestMakesAnAnonymousCall) {
  const Request incoming("POST", "/applications", Headers{}, "{}");
  const auto call = on_behalf_of(ClientRequest::get("http://user:8080/members/7"), incoming);
  EXPECT_FALSE(call.headers.get("Authorization"));
}

}  // namespace
}  // namespace eskit::runtime::http
