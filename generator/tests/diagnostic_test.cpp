#include <gtest/gtest.h>

#include <sstream>

#include "eskit/model/diagnostic.hpp"

namespace eskit::model {
namespace {

std::vector<Diagnostic> one_error() {
  auto file = std::make_shared<const SourceFile>("m.yaml", "a: 1\n  emits: [CallPayed]\n");
  Diagnostics d;
  d.error(Location{file, 2, 11}, "unknown event 'CallPayed'", "did you mean 'CallPaid'?");
  return d.all();
}

TEST(Diagnostic, TextShowsTheLineACaretAndTheHint) {
  std::ostringstream out;
  render(out, one_error(), ErrorFormat::text);
  EXPECT_EQ(
      "m.yaml:2:11: error: unknown event 'CallPayed'\n"
      "    emits: [CallPayed]\n"
      "            ^\n"
      "  note: did you mean 'CallPaid'?\n",
      out.str());
}

TEST(Diagnostic, JsonIsOneArrayForTools) {
  std::ostringstream out;
  render(out, one_error(), ErrorFormat::json);
  EXPECT_EQ(
      R"([{"file":"m.yaml","line":2,"column":11,"severity":"error","message":"unknown event 'CallPayed'","hint":"did you mean 'CallPaid'?"}])"
      "\n",
      out.str());
}

TEST(Diagnostic, GithubAnnotationsEscapeTheirProperties) {
  auto file = std::make_shared<const SourceFile>("dir,1/m:x.yaml", "a\n");
  Diagnostics d;
  d.warning(Location{file, 1, 1}, "50% done\nnext");
  std::ostringstream out;
  render(out, d.all(), ErrorFormat::github);
  EXPECT_EQ("::warning file=dir%2C1/m%3Ax.yaml,line=1,col=1::50%25 done%0Anext\n", out.str());
}

TEST(Diagnostic, DidYouMeanPicksTheClosestNameOrNothing) {
  EXPECT_EQ("did you mean 'CallPaid'?", did_you_mean("CallPayed", {"CallMade", "CallPaid"}));
  EXPECT_EQ("did you mean 'caller'?", did_you_mean("calelr", {"caller", "payment"}));  // swap
  EXPECT_EQ("", did_you_mean("Dashboard", {"CallMade", "CallPaid"}));
  EXPECT_EQ("", did_you_mean("x", {"x"}));
}

TEST(Diagnostic, SortOrdersByFileLineAndColumn) {
  auto file = std::make_shared<const SourceFile>("m.yaml", "");
  Diagnostics d;
  d.error(Location{file, 9, 1}, "third");
  d.error(Location{file, 2, 5}, "second");
  d.warning(Location{file, 2, 1}, "first");
  d.sort();
  ASSERT_EQ(3u, d.all().size());
  EXPECT_EQ("first", d.all()[0].message);
  EXPECT_EQ("second", d.all()[1].message);
  EXPECT_EQ("third", d.all()[2].message);
  EXPECT_EQ(2u, d.error_count());
  EXPECT_EQ(1u, d.warning_count());
}

}  // namespace
}  // namespace eskit::model
