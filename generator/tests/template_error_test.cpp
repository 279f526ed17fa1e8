// Every error names the template, line and column where it is, and says what to do.
#include <gtest/gtest.h>

#include "template_support.hpp"

namespace eskit::tmpl {
namespace {

using testing::error_of;
using testing::located;
using testing::located_error;

const Value model = Object{{"name", "Order"},
                           {"count", 2},
                           {"nothing", Value()},
                           {"xs", List{"a", "b"}},
                           {"items", List{Object{{"id", 1}}, List{}}},
                           {"command", Object{{"fields", List{}}, {"name", "Place"}}}};

TEST(TemplateError, UnknownVariableSuggestsTheClosest) {
  Error e = error_of("ok\n  {{ nme }}", model);
  EXPECT_EQ(located(e), "test.tmpl:2:6: unknown variable 'nme'");
  EXPECT_EQ(e.hint, "did you mean 'name'?");
  EXPECT_EQ(located_error("{% for x in xs %}{{ y }}{% endfor %}", model),
            "test.tmpl:1:21: unknown variable 'y'");
  // Loop variables and set variables are candidates too.
  EXPECT_EQ(error_of("{% set total = 1 %}{{ totl }}", model).hint, "did you mean 'total'?");
}

TEST(TemplateError, UnknownKeyPointsAtTheKey) {
  Error e = error_of("a\n  {{ command.feilds }}", model);
  EXPECT_EQ(located(e), "test.tmpl:2:14: 'command' has no key 'feilds'");
  EXPECT_EQ(e.hint, "did you mean 'fields'?");
  EXPECT_EQ(located_error("{{ name.size }}", model),
            "test.tmpl:1:9: 'name' is a string, which has no key 'size'");
  EXPECT_EQ(located_error("{{ command.name.x.y }}", model),
            "test.tmpl:1:17: 'command.name' is a string, which has no key 'x'");
}

TEST(TemplateError, DefaultDoesNotHideAMissingKey) {
  // Strict: a misspelt key is an error even under default, so no field goes silently missing.
  EXPECT_EQ(located_error("{{ command.nme | default('x') }}", model),
            "test.tmpl:1:12: 'command' has no key 'nme'");
}

TEST(TemplateError, OutputNeedsText) {
  Error null = error_of("{{ nothing }}", model);
  EXPECT_EQ(located(null), "test.tmpl:1:4: 'nothing' is null and has no text");
  EXPECT_EQ(null.hint, "give it a fallback with '| default(\"...\")' or test it with '{% if %}'");
  EXPECT_EQ(located_error("{{ xs }}", model), "test.tmpl:1:4: 'xs' is a list and has no text");
  EXPECT_EQ(located_error("{{ command }}", model),
            "test.tmpl:1:4: 'command' is an object and has no text");
  EXPECT_EQ(located_error("{{ 'n' ~ xs }}", model),
            "test.tmpl:1:10: 'xs' is a list and has no text");
}

TEST(TemplateError, LoopsNeedLists) {
  EXPECT_EQ(located_error("{% for c in name %}{% endfor %}", model),
            "test.tmpl:1:13: cannot loop over 'name': it is a string, not a list");
  EXPECT_EQ(located_error("\n{% for c in nothing | default(command) %}{% endfor %}", model),
            "test.tmpl:2:13: cannot loop over 'nothing | default(command)': it is an object, not "
            "a list");
}

TEST(TemplateError, FiltersCheckTheirInput) {
  EXPECT_EQ(located_error("{{ xs | snake }}", model),
            "test.tmpl:1:9: filter 'snake' needs a string, but 'xs' is a list");
  EXPECT_EQ(located_error("{{ count | quote }}", model),
            "test.tmpl:1:12: filter 'quote' needs a string, but 'count' is an integer");
  EXPECT_EQ(located_error("{{ items | join(', ') }}", model),
            "test.tmpl:1:12: filter 'join' needs text, but item 1 of 'items' is an object");
  EXPECT_EQ(located_error("{{ xs | join(1) }}", model),
            "test.tmpl:1:14: the separator of 'join' must be a string, not an integer");
  EXPECT_EQ(located_error("{{ name | indent('2') }}", model),
            "test.tmpl:1:18: the width of 'indent' must be an integer from 0 to 256");
  EXPECT_EQ(located_error("{{ count | length }}", model),
            "test.tmpl:1:12: filter 'length' needs a list, a string or an object, but 'count' is "
            "an integer");
}

TEST(TemplateError, OperatorsCheckTheirOperands) {
  EXPECT_EQ(located_error("{% if name < 3 %}{% endif %}", model),
            "test.tmpl:1:7: 'name' is a string; only integers can be ordered");
  EXPECT_EQ(located_error("{{ 1 in name }}", model),
            "test.tmpl:1:6: 'in' needs a list, or a string on both sides, or a string key and an "
            "object; here it has an integer and a string");
}

TEST(TemplateError, UnknownFilterIsFoundWhenParsing) {
  // No context at all: the error comes from parsing.
  Error e = error_of("{{ x }}\n{{ name | snak }}");
  EXPECT_EQ(located(e), "test.tmpl:2:11: unknown filter 'snak'");
  EXPECT_EQ(e.hint, "did you mean 'snake'?");
  EXPECT_EQ(located_error("{{ x | join(',', '-') }}"),
            "test.tmpl:1:8: filter 'join' takes 0 or 1 arguments, not 2");
  EXPECT_EQ(located_error("{{ x | default }}"),
            "test.tmpl:1:8: filter 'default' takes 1 argument, not 0");
  EXPECT_EQ(located_error("{{ x | upper('y') }}"),
            "test.tmpl:1:8: filter 'upper' takes 0 arguments, not 1");
}

TEST(TemplateError, LoopStateOutsideALoop) {
  EXPECT_EQ(located_error("{{ loop.index }}", model),
            "test.tmpl:1:4: 'loop.index' is only defined inside a for loop");
  Error field = error_of("{% for x in xs %}{{ loop.indx }}{% endfor %}");
  EXPECT_EQ(located(field), "test.tmpl:1:26: 'loop' has no field 'indx'");
  EXPECT_EQ(field.hint, "did you mean 'index'?");
  EXPECT_EQ(located_error("{% for x in xs %}{{ loop }}{% endfor %}"),
            "test.tmpl:1:21: 'loop' is not a value; use one of its fields");
  EXPECT_EQ(located_error("{% for loop in xs %}{% endfor %}"),
            "test.tmpl:1:8: 'loop' is reserved for the state of a for loop");
  EXPECT_EQ(located_error("{% set loop = 1 %}"),
            "test.tmpl:1:8: 'loop' is reserved for the state of a for loop");
}

TEST(TemplateError, UnclosedTags) {
  EXPECT_EQ(located_error("a\n  {{ x"), "test.tmpl:2:3: tag is never closed");
  EXPECT_EQ(located_error("a\n{% if x\n"), "test.tmpl:2:1: tag is never closed");
  EXPECT_EQ(located_error("a {# note"), "test.tmpl:1:3: comment is never closed");
  EXPECT_EQ(located_error("x\n{% raw %}{{ a }}"), "test.tmpl:2:1: 'raw' is never closed");
  EXPECT_EQ(located_error("{{ \"abc }}"), "test.tmpl:1:4: the string opened here is never closed");
  EXPECT_EQ(located_error("{{ 'abc\n' }}"),
            "test.tmpl:1:4: the string opened here is never closed");
  EXPECT_EQ(located_error("x {{ 'a\\\n' }}"),
            "test.tmpl:1:6: the string opened here is never closed");
}

TEST(TemplateError, UnclosedAndMismatchedBlocks) {
  Error e = error_of("{% if x %}\n  {% for y in x %}\n  {% endfor %}\nfoo\n");
  EXPECT_EQ(located(e), "test.tmpl:1:1: 'if' is never closed");
  EXPECT_EQ(e.hint, "add '{% endif %}'");
  EXPECT_EQ(located_error("{% for x in xs %}{% endif %}"),
            "test.tmpl:1:18: 'endif' cannot close the 'for' still open");
  EXPECT_EQ(located_error("x\n{% endfor %}"), "test.tmpl:2:1: 'endfor' without an open 'for'");
  EXPECT_EQ(located_error("{% else %}"), "test.tmpl:1:1: 'else' outside an 'if' or a 'for'");
  EXPECT_EQ(located_error("{% if a %}{% else %}{% else %}{% endif %}"),
            "test.tmpl:1:21: second 'else' in one 'if'");
  EXPECT_EQ(located_error("{% if a %}{% else %}{% elif b %}{% endif %}"),
            "test.tmpl:1:21: 'elif' after the 'else' of an 'if'");
  EXPECT_EQ(located_error("{% for a in b %}{% elif b %}{% endfor %}"),
            "test.tmpl:1:17: 'elif' outside an 'if'");
  EXPECT_EQ(located_error("{% endraw %}"), "test.tmpl:1:1: 'endraw' without an open 'raw'");
}

TEST(TemplateError, SyntaxErrorsSayWhatWasExpected) {
  Error tag = error_of("{% fro x in xs %}");
  EXPECT_EQ(located(tag), "test.tmpl:1:4: unknown tag 'fro'");
  EXPECT_EQ(tag.hint, "did you mean 'for'?");
  EXPECT_EQ(located_error("{%  %}"), "test.tmpl:1:5: expected a tag name but found '%}'");
  EXPECT_EQ(located_error("{{ a == }}"), "test.tmpl:1:9: expected an expression but found '}}'");
  EXPECT_EQ(located_error("{{ }}"), "test.tmpl:1:4: expected an expression but found '}}'");
  EXPECT_EQ(located_error("{{ a b }}"), "test.tmpl:1:6: expected '}}' but found 'b'");
  EXPECT_EQ(located_error("{% for x xs %}"), "test.tmpl:1:10: expected 'in' but found 'xs'");
  EXPECT_EQ(located_error("{% for in xs %}"),
            "test.tmpl:1:8: expected a loop variable but found 'in'");
  EXPECT_EQ(located_error("{% if a %}{% endif b %}"),
            "test.tmpl:1:20: expected '%}' but found 'b'");
  EXPECT_EQ(located_error("{% set x 1 %}"), "test.tmpl:1:10: expected '=' but found '1'");
  EXPECT_EQ(located_error("{% include name %}"),
            "test.tmpl:1:12: expected a template name in quotes but found 'name'");
  EXPECT_EQ(located_error("{{ a. }}"), "test.tmpl:1:7: expected a name after '.' but found '}}'");
  EXPECT_EQ(located_error("{{ a | }}"), "test.tmpl:1:8: expected a filter name but found '}}'");
  EXPECT_EQ(located_error("{{ (a }}"), "test.tmpl:1:7: expected ')' but found '}}'");
  EXPECT_EQ(located_error("{{ 99999999999999999999 }}"),
            "test.tmpl:1:4: integer '99999999999999999999' is too large");
}

TEST(TemplateError, TheFirstErrorInTheTextWins) {
  EXPECT_EQ(located_error("{{ a | nope }}\n{{ b c }}"), "test.tmpl:1:8: unknown filter 'nope'");
  EXPECT_EQ(located_error("{{ b c }}\n{{ a | nope }}"),
            "test.tmpl:1:6: expected '}}' but found 'c'");
}

std::string repeat(std::string_view text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += text;
  return out;
}

TEST(TemplateError, NestingIsBounded) {
  Value ctx = Object{{"a", "x"}};
  EXPECT_EQ(testing::render_ok("{{ " + repeat("(", 20) + "a" + repeat(")", 20) + " }}", ctx), "x");
  EXPECT_EQ(located_error("{{ " + repeat("(", 1000) + "a" + repeat(")", 1000) + " }}"),
            "test.tmpl:1:36: expression nested too deeply");
  EXPECT_EQ(located_error("{{ " + repeat("not ", 1000) + "a }}"),
            "test.tmpl:1:256: expression nested too deeply");
  EXPECT_EQ(testing::render_ok("{{ a" + repeat(" ~ a", 60) + " }}", ctx), repeat("x", 61));
  EXPECT_EQ(located_error("{{ a" + repeat(" ~ a", 100) + " }}"),
            "test.tmpl:1:258: expression nested too deeply");
  EXPECT_EQ(located_error("{{ a" + repeat(" | upper", 100) + " }}"),
            "test.tmpl:1:510: expression nested too deeply");

  EXPECT_EQ(testing::render_ok(repeat("{% if true %}", 64) + "x" + repeat("{% endif %}", 64)), "x");
  Error blocks = error_of(repeat("{% if true %}", 65) + "x" + repeat("{% endif %}", 65));
  EXPECT_EQ(located(blocks), "test.tmpl:1:833: blocks nested more than 64 deep");
}

TEST(TemplateError, TheContextMustBeAnObject) {
  EXPECT_EQ(located_error("x", List{}),
            "test.tmpl:1:1: a template renders over an object, not a list");
}

TEST(TemplateError, RendersLikeACompilerDiagnostic) {
  Environment env(Environment::Sources{{"outer", "first\n\t{% include 'inner' %}\n"},
                                       {"inner", "ok\n  {{ nme }}\n"}});
  auto out = env.render("outer", Object{{"name", "x"}});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().to_string(),
            "inner:2:6: error: unknown variable 'nme'\n"
            "    {{ nme }}\n"
            "       ^\n"
            "  note: did you mean 'name'?\n"
            "  note: included from outer:2:2\n");
}

TEST(TemplateError, ErrorsInsideIncludesNameTheIncludedTemplate) {
  Environment::Sources sources{{"a", "A\n  {% include 'b' %}\n"},
                               {"b", "B\n{% for x in xs %}\n{% include 'c' %}{% endfor %}"},
                               {"c", "{{ x.missing }}"},
                               {"broken", "ok\n{{ x"}};
  Error e = error_of("top\n{% include 'a' %}", model, sources);
  EXPECT_EQ(located(e), "c:1:6: 'x' is a string, which has no key 'missing'");
  ASSERT_EQ(e.included_from.size(), 3u);
  EXPECT_EQ(e.included_from[0], (Position{"b", 3, 1}));
  EXPECT_EQ(e.included_from[1], (Position{"a", 2, 3}));
  EXPECT_EQ(e.included_from[2], (Position{"test.tmpl", 2, 1}));

  // A parse error in an included template is found when the includer is loaded.
  Error parse = error_of("\n\n {% include 'broken' %}", Object{}, sources);
  EXPECT_EQ(located(parse), "broken:2:1: tag is never closed");
  ASSERT_EQ(parse.included_from.size(), 1u);
  EXPECT_EQ(parse.included_from[0], (Position{"test.tmpl", 3, 2}));
}

}  // namespace
}  // namespace eskit::tmpl
