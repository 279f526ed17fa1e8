// What each construct of the language parses to, seen through what it renders.
#include <gtest/gtest.h>

#include "template_support.hpp"

namespace eskit::tmpl {
namespace {

using testing::render_ok;

TEST(TemplateSyntax, TextPassesThroughUnchanged) {
  EXPECT_EQ(render_ok(""), "");
  EXPECT_EQ(render_ok("int main() { return {1}; }\n"), "int main() { return {1}; }\n");
  EXPECT_EQ(render_ok("a { {b} } % # } }"), "a { {b} } % # } }");
}

TEST(TemplateSyntax, OutputOfLiteralsAndPaths) {
  Value ctx = Object{
      {"name", "Order"}, {"count", 3}, {"on", true}, {"context", Object{{"name", "ordering"}}}};
  EXPECT_EQ(render_ok("{{ name }}/{{count}}/{{ on }}", ctx), "Order/3/true");
  EXPECT_EQ(render_ok("{{ context.name }}", ctx), "ordering");
  EXPECT_EQ(render_ok("{{ 'single' }} {{ \"double\" }} {{ 12 }} {{ false }}"),
            "single double 12 false");
  EXPECT_EQ(render_ok(R"({{ "a\"b\\c\nd\te" }})"), "a\"b\\c\nd\te");
  EXPECT_EQ(render_ok(R"({{ 'it\'s' }})"), "it's");
  EXPECT_EQ(render_ok("{{\n  name\n}}", ctx), "Order");
}

TEST(TemplateSyntax, KeysMayBeReservedWords) {
  Value ctx = Object{{"type", Object{{"in", "x"}, {"null", "y"}}}};
  EXPECT_EQ(render_ok("{{ type.in }}{{ type.null }}", ctx), "xy");
}

TEST(TemplateSyntax, Concatenation) {
  Value ctx = Object{{"ns", "billing"}, {"n", 2}};
  EXPECT_EQ(render_ok("{{ ns ~ '::' ~ 'Order' ~ n }}", ctx), "billing::Order2");
  // Filters bind tighter than ~.
  EXPECT_EQ(render_ok("{{ ns ~ 'Order' | upper }}", ctx), "billingORDER");
  EXPECT_EQ(render_ok("{{ (ns ~ 'Order') | upper }}", ctx), "BILLINGORDER");
}

TEST(TemplateSyntax, OperatorPrecedence) {
  Value ctx = Object{{"a", true}, {"b", false}, {"name", "x"}};
  // not > and > or; comparisons bind tighter than not.
  EXPECT_EQ(render_ok("{{ a or b and b }}", ctx), "true");
  EXPECT_EQ(render_ok("{{ not a or a }}", ctx), "true");
  EXPECT_EQ(render_ok("{{ not name == 'y' }}", ctx), "true");
  EXPECT_EQ(render_ok("{{ not (a and b) }}", ctx), "true");
  EXPECT_EQ(render_ok("{{ name | upper == 'X' }}", ctx), "true");
  EXPECT_EQ(render_ok("{{ 'x' ~ 'y' == name ~ 'y' }}", ctx), "true");
}

TEST(TemplateSyntax, Comparisons) {
  Value ctx = Object{{"n", 3},
                     {"kind", "string"},
                     {"kinds", List{"int", "string"}},
                     {"field", Object{{"type", "int"}}}};
  EXPECT_EQ(
      render_ok("{{ n == 3 }}{{ n != 3 }}{{ n < 4 }}{{ n <= 3 }}{{ n > 3 }}{{ n >= 4 }}", ctx),
      "truefalsetruetruefalsefalse");
  EXPECT_EQ(render_ok("{{ kind in kinds }}{{ 'bool' in kinds }}{{ 'bool' not in kinds }}", ctx),
            "truefalsetrue");
  EXPECT_EQ(render_ok("{{ 'tri' in kind }}{{ 'type' in field }}{{ 'name' in field }}", ctx),
            "truetruefalse");
  EXPECT_EQ(render_ok("{{ n == '3' }}{{ null == null }}", ctx), "falsetrue");
}

TEST(TemplateSyntax, ShortCircuitGuardsMissingValues) {
  Value ctx = Object{{"x", Value()}};
  EXPECT_EQ(render_ok("{{ x and x.key }}", ctx), "false");
  EXPECT_EQ(render_ok("{{ not x or x.key }}", ctx), "true");
}

TEST(TemplateSyntax, ForLoop) {
  Value ctx = Object{{"xs", List{"a", "b", "c"}}};
  EXPECT_EQ(render_ok("{% for x in xs %}{{ x }}{% endfor %}", ctx), "abc");
  EXPECT_EQ(render_ok("{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ loop.length }} "
                      "{% endfor %}",
                      ctx),
            "103 213 323 ");
  EXPECT_EQ(
      render_ok("{% for x in xs %}{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}", ctx),
      "a, b, c");
  EXPECT_EQ(render_ok("{% for x in xs %}{% if loop.first %}[{% endif %}{{ x }}{% endfor %}]", ctx),
            "[abc]");
}

TEST(TemplateSyntax, ForElseRunsOnEmptyLists) {
  Value ctx = Object{{"none", List{}}, {"one", List{1}}};
  EXPECT_EQ(render_ok("{% for x in none %}{{ x }}{% else %}empty{% endfor %}", ctx), "empty");
  EXPECT_EQ(render_ok("{% for x in one %}{{ x }}{% else %}empty{% endfor %}", ctx), "1");
}

TEST(TemplateSyntax, NestedLoopsSeeTheirOwnLoopState) {
  Value ctx = Object{{"rows", List{List{1, 2}, List{3}}}};
  EXPECT_EQ(render_ok("{% for r in rows %}{% set outer = loop.index %}{% for c in r %}"
                      "{{ outer }}.{{ loop.index }}={{ c }} {% endfor %}{% endfor %}",
                      ctx),
            "1.1=1 1.2=2 2.1=3 ");
}

TEST(TemplateSyntax, LoopVariableShadowsTheContext) {
  Value ctx = Object{{"x", "outer"}, {"xs", List{"inner"}}};
  EXPECT_EQ(render_ok("{% for x in xs %}{{ x }}{% endfor %} {{ x }}", ctx), "inner outer");
}

TEST(TemplateSyntax, IfElifElse) {
  const char* text =
      "{% if n == 1 %}one{% elif n == 2 %}two{% elif n == 3 %}three"
      "{% else %}many{% endif %}";
  EXPECT_EQ(render_ok(text, Object{{"n", 1}}), "one");
  EXPECT_EQ(render_ok(text, Object{{"n", 2}}), "two");
  EXPECT_EQ(render_ok(text, Object{{"n", 3}}), "three");
  EXPECT_EQ(render_ok(text, Object{{"n", 9}}), "many");
  EXPECT_EQ(render_ok("{% if false %}x{% endif %}"), "");
}

TEST(TemplateSyntax, IfUsesTruthiness) {
  const char* text = "{% if v %}yes{% else %}no{% endif %}";
  EXPECT_EQ(render_ok(text, Object{{"v", Value()}}), "no");
  EXPECT_EQ(render_ok(text, Object{{"v", ""}}), "no");
  EXPECT_EQ(render_ok(text, Object{{"v", 0}}), "no");
  EXPECT_EQ(render_ok(text, Object{{"v", List{}}}), "no");
  EXPECT_EQ(render_ok(text, Object{{"v", "x"}}), "yes");
  EXPECT_EQ(render_ok(text, Object{{"v", List{0}}}), "yes");
}

TEST(TemplateSyntax, SetScopes) {
  Value ctx = Object{{"xs", List{1, 2}}};
  EXPECT_EQ(render_ok("{% set a = 'x' ~ 1 %}{{ a }}{% set a = a ~ 2 %}{{ a }}", ctx), "x1x12");
  // An if is no scope; a loop iteration is.
  EXPECT_EQ(render_ok("{% if true %}{% set b = 'in' %}{% endif %}{{ b }}", ctx), "in");
  EXPECT_EQ(
      render_ok("{% set c = 0 %}{% for x in xs %}{% set c = x %}{{ c }}{% endfor %}{{ c }}", ctx),
      "120");
}

TEST(TemplateSyntax, CommentsLeaveNothing) {
  EXPECT_EQ(render_ok("a{# note #}b{# {{ not parsed }} {% if %} #}c"), "abc");
  EXPECT_EQ(render_ok("a{#\n multi\n line\n#}b"), "ab");
}

TEST(TemplateSyntax, RawKeepsDelimiters) {
  EXPECT_EQ(render_ok("{% raw %}return {{1, 2}}; {% if %}{# #}{% endraw %}"),
            "return {{1, 2}}; {% if %}{# #}");
  EXPECT_EQ(render_ok("{{ '{{' }}"), "{{");
}

TEST(TemplateSyntax, IncludeSeesTheCurrentVariables) {
  Environment::Sources sources{{"item", "<{{ x }}:{{ loop.index }}:{{ prefix }}>"}};
  Value ctx = Object{{"xs", List{"a", "b"}}, {"prefix", "p"}};
  EXPECT_EQ(render_ok("{% for x in xs %}{% include 'item' %}{% endfor %}", ctx, sources),
            "<a:1:p><b:2:p>");
  // What an included template sets stays inside it.
  Environment::Sources setter{{"set", "{% set y = 'inner' %}{{ y }}"}};
  EXPECT_EQ(render_ok("{% set y = 'outer' %}{% include \"set\" %} {{ y }}", Object{}, setter),
            "inner outer");
}

}  // namespace
}  // namespace eskit::tmpl
