#include <gtest/gtest.h>

#include "eskit/template/value.hpp"

namespace eskit::tmpl {
namespace {

TEST(TemplateValue, KindsAndPayloads) {
  EXPECT_EQ(Value().kind(), Value::Kind::null);
  EXPECT_EQ(Value(nullptr).kind(), Value::Kind::null);
  EXPECT_EQ(Value(true).kind(), Value::Kind::boolean);
  EXPECT_EQ(Value(42).as_integer(), 42);
  EXPECT_EQ(Value(std::size_t{7}).as_integer(), 7);
  // A string literal is a string, not a bool.
  EXPECT_EQ(Value("text").kind(), Value::Kind::string);
  EXPECT_EQ(Value(std::string_view("view")).as_string(), "view");
  EXPECT_EQ(Value(List{1, 2}).as_list().size(), 2u);
  EXPECT_EQ(Value(Object{{"a", 1}}).as_object().size(), 1u);
  EXPECT_THROW((void)Value(1).as_string(), std::bad_variant_access);
}

TEST(TemplateValue, ObjectsKeepInsertionOrder) {
  Object o;
  o.set("zeta", 1).set("alpha", 2).set("mid", 3);
  o.set("alpha", 20);  // replaced in place
  std::string order;
  for (const auto& [key, value] : o) order += key + "=" + std::to_string(value.as_integer()) + " ";
  EXPECT_EQ(order, "zeta=1 alpha=20 mid=3 ");
  EXPECT_EQ(o.find("mid")->as_integer(), 3);
  EXPECT_EQ(o.find("missing"), nullptr);
  EXPECT_TRUE(o.contains("zeta"));

  Object twice{{"k", 1}, {"other", 2}, {"k", 3}};
  ASSERT_EQ(twice.size(), 2u);
  EXPECT_EQ(twice.entries()[0].first, "k");
  EXPECT_EQ(twice.entries()[0].second.as_integer(), 3);
}

TEST(TemplateValue, LookupOnObjectsOnly) {
  Value v = Object{{"name", "Order"}};
  EXPECT_EQ(v.find("name")->as_string(), "Order");
  EXPECT_EQ(v.find("nope"), nullptr);
  EXPECT_EQ(Value("name").find("name"), nullptr);
}

TEST(TemplateValue, CopiesShareListsAndObjects) {
  Value list = List{Object{{"name", "a"}}, Object{{"name", "b"}}};
  Value copy = list;
  EXPECT_EQ(&copy.as_list(), &list.as_list());
  Value object = Object{{"fields", list}};
  EXPECT_EQ(&object.find("fields")->as_list(), &list.as_list());
}

TEST(TemplateValue, Truthiness) {
  EXPECT_FALSE(Value().truthy());
  EXPECT_FALSE(Value(false).truthy());
  EXPECT_FALSE(Value(0).truthy());
  EXPECT_FALSE(Value("").truthy());
  EXPECT_FALSE(Value(List{}).truthy());
  EXPECT_FALSE(Value(Object{}).truthy());
  EXPECT_TRUE(Value(true).truthy());
  EXPECT_TRUE(Value(-1).truthy());
  EXPECT_TRUE(Value("0").truthy());
  EXPECT_TRUE(Value(List{Value()}).truthy());
  EXPECT_TRUE(Value(Object{{"k", Value()}}).truthy());
}

TEST(TemplateValue, Equality) {
  EXPECT_EQ(Value(), Value(nullptr));
  EXPECT_NE(Value(1), Value("1"));
  EXPECT_NE(Value(0), Value(false));
  EXPECT_EQ(Value(List{1, "a"}), Value(List{1, "a"}));
  EXPECT_NE(Value(List{1, "a"}), Value(List{"a", 1}));
  // Objects compare by content, whatever the order of their keys.
  EXPECT_EQ(Value(Object{{"a", 1}, {"b", 2}}), Value(Object{{"b", 2}, {"a", 1}}));
  EXPECT_NE(Value(Object{{"a", 1}}), Value(Object{{"a", 2}}));
  EXPECT_NE(Value(Object{{"a", 1}}), Value(Object{{"a", 1}, {"b", 2}}));
}

TEST(TemplateValue, DescribesKinds) {
  EXPECT_STREQ(describe(Value::Kind::null), "null");
  EXPECT_STREQ(describe(Value::Kind::list), "a list");
  EXPECT_STREQ(describe(Value::Kind::object), "an object");
}

}  // namespace
}  // namespace eskit::tmpl
