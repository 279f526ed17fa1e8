// Forwarded identity headers count only when the service is configured to trust them.
#include "eskit/runtime/auth/forwarding.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace eskit::runtime::auth {
namespace {

const ForwardedIdentity trusted{.trusted = true};

http::Headers forwarded(std::string subject, std::string roles) {
  http::Headers headers;
  headers.add("X-Eskit-Subject", std::move(subject));
  headers.add("X-Eskit-Roles", std::move(roles));
  return headers;
}

TEST(Forwarding, IgnoredUnlessTrusted) {
  EXPECT_FALSE(read_forwarded_identity(forwarded("hong", "ADMIN"), ForwardedIdentity{}));
}

TEST(Forwarding, TrustedHeadersBecomeTheIdentity) {
  auto identity = read_forwarded_identity(forwarded("hong", "MEMBER, ADMIN,"), trusted);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->subject, "hong");
  EXPECT_EQ(identity->roles, (std::vector<std::string>{"MEMBER", "ADMIN"}));
  EXPECT_EQ(identity->source, Identity::Source::gateway);
  EXPECT_TRUE(identity->claims_json.empty());
}

TEST(Forwarding, RolesHeaderMayBeAbsent) {
  http::Headers headers;
  headers.add("x-eskit-subject", "hong");
  auto identity = read_forwarded_identity(headers, trusted);
  ASSERT_TRUE(identity);
  EXPECT_TRUE(identity->roles.empty());
}

TEST(Forwarding, RepeatedOrMalformedHeadersAreNotAnIdentity) {
  http::Headers twice = forwarded("hong", "MEMBER");
  twice.add("X-Eskit-Subject", "admin");
  EXPECT_FALSE(read_forwarded_identity(twice, trusted));
  http::Headers two_role_fields = forwarded("hong", "MEMBER");
  two_role_fields.add("X-Eskit-Roles", "ADMIN");
  EXPECT_FALSE(read_forwarded_identity(two_role_fields, trusted));
  EXPECT_FALSE(read_forwarded_identity(forwarded("", "MEMBER"), trusted));
  EXPECT_FALSE(read_forwarded_identity(forwarded("ho\x01ng", "MEMBER"), trusted));
  EXPECT_FALSE(read_forwarded_identity(forwarded("hong", "MEMBER ADMIN"), trusted));
  EXPECT_FALSE(read_forwarded_identity(http::Headers{}, trusted));
}

TEST(Forwarding, GatewayReplacesWhatTheClientSent) {
  http::Headers headers = forwarded("admin", "ADMIN");
  headers.add("X-Eskit-Roles", "ADMIN");
  forward_identity({.subject = "hong", .roles = {"MEMBER"}}, headers);
  auto identity = read_forwarded_identity(headers, trusted);
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->subject, "hong");
  EXPECT_EQ(identity->roles, std::vector<std::string>{"MEMBER"});

  strip_forwarded_identity(headers);
  EXPECT_FALSE(headers.contains("X-Eskit-Subject"));
  EXPECT_FALSE(headers.contains("X-Eskit-Roles"));
}

TEST(Forwarding, WhatAHeaderCannotCarryIsRefused) {
  http::Headers headers;
  EXPECT_THROW(forward_identity({.subject = "ho\r\nng"}, headers), std::invalid_argument);
  EXPECT_THROW(forward_identity({.subject = ""}, headers), std::invalid_argument);
  EXPECT_THROW(forward_identity({.subject = "hong", .roles = {"A,B"}}, headers),
               std::invalid_argument);
  EXPECT_THROW(forward_identity({.subject = "hong", .roles = {"A B"}}, headers),
               std::invalid_argument);
}

}  // namespace
}  // namespace eskit::runtime::auth
