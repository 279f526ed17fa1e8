// Whitespace control: what makes generated code read as if a careful person wrote it.
#include <gtest/gtest.h>

#include "template_support.hpp"

namespace eskit::tmpl {
namespace {

using testing::render_ok;

const Value fields = Object{{"fields", List{"a", "b"}}, {"yes", true}, {"no", false}};

TEST(TemplateWhitespace, ABlockTagAloneOnItsLineLeavesNoLine) {
  EXPECT_EQ(render_ok("class A {\n"
                      "{% for f in fields %}\n"
                      "  int {{ f }};\n"
                      "{% endfor %}\n"
                      "};\n",
                      fields),
            "class A {\n"
            "  int a;\n"
            "  int b;\n"
            "};\n");
}

TEST(TemplateWhitespace, IndentedBlockTagsLeaveNothingEither) {
  const char* text =
      "void f() {\n"
      "  {% if yes %}\n"
      "  run();\n"
      "    {% if no %}\n"
      "  never();\n"
      "    {% endif %}\n"
      "  {% else %}\n"
      "  skip();\n"
      "  {%endif%}\n"
      "}\n";
  EXPECT_EQ(render_ok(text, fields), "void f() {\n  run();\n}\n");
}

TEST(TemplateWhitespace, CommentsAndSetsAloneOnALineLeaveNothing) {
  EXPECT_EQ(
      render_ok("a\n  {# why this is so #}\n{% set x = 1 %}\n\t{# two #} {# on a line #}\nb\n"),
      "a\nb\n");
  EXPECT_EQ(render_ok("a\n{#\n a comment over\n three lines\n#}\nb\n"), "a\nb\n");
}

TEST(TemplateWhitespace, SeveralBlockTagsOnOneLine) {
  EXPECT_EQ(render_ok("{% if yes %}{% if yes %}\nx\n{% endif %} {% endif %}\n", fields), "x\n");
}

TEST(TemplateWhitespace, LinesWithContentKeepTheirWhitespace) {
  // Unlike Jinja's lstrip_blocks, a tag on a line with text keeps the line's indentation.
  EXPECT_EQ(render_ok("  {% if yes %}int a;{% endif %}\n", fields), "  int a;\n");
  EXPECT_EQ(render_ok("x = {% if yes %}1{% endif %};\n", fields), "x = 1;\n");
  EXPECT_EQ(
      render_ok("{% for f in fields %}{{ f }}{% if not loop.last %}, {% endif %}{% endfor %}\n",
                fields),
      "a, b\n");
  // An output tag makes a line content, even if it renders nothing.
  EXPECT_EQ(render_ok("{% if yes %}{{ '' }}\n{% endif %}", fields), "\n");
}

TEST(TemplateWhitespace, BlankLinesOfTheTemplateStay) {
  EXPECT_EQ(render_ok("a\n\n{% if yes %}\n\nb\n{% endif %}\n\nc\n", fields), "a\n\n\nb\n\nc\n");
}

TEST(TemplateWhitespace, StandaloneTagsAtTheEdgesOfTheText) {
  EXPECT_EQ(render_ok("{% set x = 1 %}\nfirst\n"), "first\n");
  EXPECT_EQ(render_ok("last\n{% set x = 1 %}"), "last\n");
  EXPECT_EQ(render_ok("last\n  {% set x = 1 %}  "), "last\n");
  EXPECT_EQ(render_ok("{% if yes %}\n{% endif %}", fields), "");
}

TEST(TemplateWhitespace, CarriageReturnLineEndings) {
  EXPECT_EQ(render_ok("a\r\n{% if yes %}\r\nb\r\n{% endif %}\r\nc\r\n", fields), "a\r\nb\r\nc\r\n");
}

TEST(TemplateWhitespace, MinusTrimsAllWhitespaceOnItsSide) {
  EXPECT_EQ(render_ok("a  \n  {{- 'b' -}}  \n  c"), "abc");
  EXPECT_EQ(render_ok("a \n{%- if yes %} b {% endif -%}\n c", fields), "a b c");
  EXPECT_EQ(render_ok("a\n{#- gone -#}\nb"), "ab");
  // Only whitespace is trimmed, up to the next tag or text.
  EXPECT_EQ(render_ok("x{{ 'y' -}} z"), "xyz");
  EXPECT_EQ(render_ok("x {{- 'y' }} z"), "xy z");
}

TEST(TemplateWhitespace, MinusAndStandaloneLinesTogether) {
  // As in Jinja: `{%-` eats the line break before the tag, the standalone line the one after.
  EXPECT_EQ(render_ok("items:\n"
                      "{%- for f in fields %}\n"
                      " {{ f }}\n"
                      "{%- endfor %}\n"
                      ".\n",
                      fields),
            "items: a b.\n");
}

TEST(TemplateWhitespace, RawBlocksOnTheirOwnLines) {
  EXPECT_EQ(render_ok("a\n{% raw %}\n  {{ x }}\n  {% if %}\n{% endraw %}\nb\n"),
            "a\n  {{ x }}\n  {% if %}\nb\n");
}

TEST(TemplateWhitespace, StandaloneIncludeIsIndentedLikeItsTag) {
  Environment::Sources sources{{"field", "int a;\n\nint b;\n"}, {"value", "42"}};
  EXPECT_EQ(render_ok("struct A {\n"
                      "  {% include \"field\" %}\n"
                      "};\n",
                      Object{}, sources),
            "struct A {\n"
            "  int a;\n"
            "\n"
            "  int b;\n"
            "};\n");
  // Inline, an include is its text, verbatim.
  EXPECT_EQ(render_ok("x = {% include 'value' %};\n", Object{}, sources), "x = 42;\n");
}

TEST(TemplateWhitespace, NestedStandaloneIncludesAddTheirIndentation) {
  Environment::Sources sources{{"outer", "{\n  {% include 'inner' %}\n}\n"}, {"inner", "int x;\n"}};
  EXPECT_EQ(render_ok("ns {\n    {% include 'outer' %}\n}\n", Object{}, sources),
            "ns {\n    {\n      int x;\n    }\n}\n");
}

}  // namespace
}  // namespace eskit::tmpl
