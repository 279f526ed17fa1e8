// Where templates come from: the override directory first, then the built-in set.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "eskit/template/builtin.hpp"
#include "template_support.hpp"

namespace eskit::tmpl::testing {
// Generated from template_data/builtin by eskit_embed_templates (see generator/CMakeLists.txt).
const std::map<std::string_view, std::string_view>& sample_templates();
}  // namespace eskit::tmpl::testing

namespace eskit::tmpl {
namespace {

namespace fs = std::filesystem;
using testing::located;

const fs::path data = ESKIT_TEMPLATE_DATA;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::map<std::string, std::string> files_under(const fs::path& dir,
                                               const std::vector<std::string>& skipped = {}) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    std::string name = entry.path().lexically_relative(dir).generic_string();
    if (entry.is_regular_file() &&
        std::find(skipped.begin(), skipped.end(), name) == skipped.end()) {
      files[name] = read_file(entry.path());
    }
  }
  return files;
}

std::map<std::string, std::string> owned(const std::map<std::string_view, std::string_view>& m) {
  return {m.begin(), m.end()};
}

const Value order = Object{{"name", "purchase_order"},
                           {"fields", List{Object{{"name", "orderID"}, {"type", "int"}},
                                           Object{{"name", "totalAmount"}, {"type", "long"}}}}};

TEST(TemplateEnvironment, EmbeddedFilesAreByteForByteTheFilesOnDisk) {
  EXPECT_EQ(owned(testing::sample_templates()), files_under(data / "builtin"));
  EXPECT_EQ(owned(builtin_templates()), files_under(ESKIT_SOURCE_DIR "/templates", {"README.md"}));
}

TEST(TemplateEnvironment, RendersABuiltInTemplate) {
  Environment env(testing::sample_templates());
  auto out = env.render("class.hpp.tmpl", order);
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_EQ(*out,
            "// PurchaseOrder: generated, do not edit.\n"
            "#pragma once\n"
            "\n"
            "class PurchaseOrder {\n"
            " private:\n"
            "  int order_id_;\n"
            "  long total_amount_;\n"
            "};\n");
}

TEST(TemplateEnvironment, TheOverrideDirectoryBeatsTheBuiltIns) {
  Environment builtin(testing::sample_templates());
  Environment custom(testing::sample_templates(), data / "override");
  EXPECT_EQ(*builtin.render("overridden.txt", Object{}), "built-in\n");
  EXPECT_EQ(*custom.render("overridden.txt", Object{}), "override\n");
  // A built-in template that includes an overridden one gets the override.
  auto out = custom.render("class.hpp.tmpl", order);
  ASSERT_TRUE(out) << out.error().to_string();
  EXPECT_NE(out->find("  int m_orderId;  // overridden\n  long m_totalAmount;  // overridden\n"),
            std::string::npos)
      << *out;
  // An override-only template may include built-in ones.
  EXPECT_EQ(*custom.render("extra.txt", order), "Hello, PurchaseOrder!\n");
}

TEST(TemplateEnvironment, ListsEveryName) {
  Environment custom(testing::sample_templates(), data / "override");
  EXPECT_EQ(custom.names(),
            (std::vector<std::string>{"bytes.txt", "class.hpp.tmpl", "extra.txt", "greeting.txt",
                                      "overridden.txt", "partials/field.hpp.tmpl"}));
}

TEST(TemplateEnvironment, ParsesEachTemplateOnce) {
  Environment env(testing::sample_templates());
  auto first = env.load("greeting.txt");
  auto second = env.load("greeting.txt");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->get(), second->get());
  auto includer = env.load("class.hpp.tmpl");
  auto partial = env.load("partials/field.hpp.tmpl");
  ASSERT_TRUE(includer && partial);
  EXPECT_EQ((*partial)->name(), "partials/field.hpp.tmpl");
}

TEST(TemplateEnvironment, MissingTemplates) {
  Environment env(testing::sample_templates());
  auto missing = env.load("greting.txt");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "no template named 'greting.txt'");
  EXPECT_EQ(missing.error().hint, "did you mean 'greeting.txt'?");
  EXPECT_EQ(missing.error().to_string(),
            "greting.txt: error: no template named 'greting.txt'\n"
            "  note: did you mean 'greeting.txt'?\n");

  auto include = env.compile("main", "line\n  {% include 'partials/feld.hpp.tmpl' %}");
  ASSERT_FALSE(include);
  EXPECT_EQ(located(include.error()), "main:2:14: no template named 'partials/feld.hpp.tmpl'");
  EXPECT_EQ(include.error().hint, "did you mean 'partials/field.hpp.tmpl'?");
}

TEST(TemplateEnvironment, NamesStayInsideTheTemplateDirectories) {
  Environment env(testing::sample_templates(), data / "override");
  for (const char* name : {"../builtin/greeting.txt", "/etc/passwd", "a//b", "./greeting.txt",
                           "partials\\field.hpp.tmpl", ""}) {
    auto loaded = env.load(name);
    ASSERT_FALSE(loaded) << name;
    EXPECT_EQ(loaded.error().message, "invalid template name '" + std::string(name) + "'");
  }
  auto include = env.compile("main", "{% include '../override/extra.txt' %}");
  ASSERT_FALSE(include);
  EXPECT_EQ(located(include.error()), "main:1:12: invalid template name '../override/extra.txt'");
}

TEST(TemplateEnvironment, IncludeCyclesAreReported) {
  Environment env(Environment::Sources{{"a", "A\n{% include 'b' %}"},
                                       {"b", "B\n{% if false %}\n  {% include 'c' %}\n{% endif %}"},
                                       {"c", "{% include 'a' %}"},
                                       {"self", "x {% include \"self\" %}"}});
  auto cycle = env.load("a");
  ASSERT_FALSE(cycle);
  EXPECT_EQ(located(cycle.error()), "c:1:12: include cycle: a -> b -> c -> a");
  EXPECT_EQ(cycle.error().included_from, (std::vector<Position>{{"b", 3, 3}, {"a", 2, 1}}));

  auto self = env.load("self");
  ASSERT_FALSE(self);
  EXPECT_EQ(located(self.error()), "self:1:14: include cycle: self -> self");
}

TEST(TemplateEnvironment, SharedIncludesAreNoCycle) {
  Environment env(Environment::Sources{{"top", "{% include 'left' %}{% include 'right' %}"},
                                       {"left", "L{% include 'leaf' %}"},
                                       {"right", "R{% include 'leaf' %}"},
                                       {"leaf", "."}});
  EXPECT_EQ(*env.render("top", Object{}), "L.R.");
}

TEST(TemplateEnvironment, AFailedLoadIsNotCached) {
  Environment env(Environment::Sources{{"a", "{% include 'b' %}"}, {"b", "{{ x"}});
  EXPECT_FALSE(env.load("a"));
  EXPECT_FALSE(env.load("a"));
  EXPECT_EQ(located(env.load("b").error()), "b:1:1: tag is never closed");
}

}  // namespace
}  // namespace eskit::tmpl
