// What the supervisor derives from a model: names as the generator spells them, sync-call URL
// variables, per-run secrets, routes and public paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <variant>

#include "eskit/model/load.hpp"
#include "eskit/run/system_plan.hpp"

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

eskit::run::SystemPlan plan_of(const std::string& relative) {
  auto source = eskit::model::read_source(std::string(ESKIT_SOURCE_DIR) + "/" + relative);
  eskit::model::Diagnostics diagnostics;
  auto model = eskit::model::load_model(std::get<0>(source), diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << relative;
  return eskit::run::plan_system(*model);
}

TEST(SystemPlan, NamesTargetsExecutablesAndCallsAsTheGeneratorDoes) {
  const auto plan = plan_of("examples/drivercall/model.yaml");
  ASSERT_EQ(4u, plan.contexts.size());
  const auto* caller = plan.find("caller");
  ASSERT_NE(nullptr, caller);
  EXPECT_EQ("drivercall_caller", caller->target);
  EXPECT_EQ("drivercall-caller", caller->executable);
  EXPECT_EQ("caller/gen", caller->binary_subdir.generic_string());
  EXPECT_EQ((Pairs{{"ESKIT_CALLER_APPROVE_PAYMENT_URL", "payment"}}), caller->calls);
  EXPECT_TRUE(plan.find("dashboard")->postgresql);
  EXPECT_FALSE(plan.routes_derived);
  EXPECT_EQ((Pairs{{"/calls", "caller"},
                   {"/payments", "payment"},
                   {"/catches", "catcher"},
                   {"/dashboards", "dashboard"}}),
            plan.routes);
}

TEST(SystemPlan, ALoginContextGetsItsSecretAndAnAdministratorAndItsPathsArePublic) {
  const auto plan = plan_of("examples/petcare/model.yaml");
  const auto* user = plan.find("user");
  ASSERT_NE(nullptr, user);
  EXPECT_EQ("petmily-user", user->executable);
  EXPECT_EQ((std::vector<std::string>{"ESKIT_USER_TOKEN_SECRET"}), user->generated_secrets);
  EXPECT_EQ((Pairs{{"ESKIT_USER_ADMIN_LOGIN_IDS", "admin"}}), user->defaults);
  const auto& open = plan.public_paths;
  EXPECT_NE(open.end(), std::find(open.begin(), open.end(), "/user/login"));
  EXPECT_NE(open.end(), std::find(open.begin(), open.end(), "/user/members"));
}

TEST(SystemPlan, WithoutGatewayRoutesEachContextIsRoutedByItsFirstPathSegment) {
  const auto plan = plan_of("tests/generate/declarative/model.yaml");
  EXPECT_TRUE(plan.routes_derived);
  EXPECT_EQ(
      (Pairs{{"/books", "catalog"}, {"/loans", "lending"}, {"/member-loans", "notification"}}),
      plan.routes);
  // No roles anywhere: every path is public, cut before its first parameter.
  EXPECT_NE(plan.public_paths.end(),
            std::find(plan.public_paths.begin(), plan.public_paths.end(), "/books"));
}

}  // namespace
