#include "eskit/generate/diff.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using eskit::generate::unified_diff;

std::string numbered(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += "line " + std::to_string(i) + "\n";
  return out;
}

TEST(UnifiedDiff, EqualTextsHaveNoDiff) {
  EXPECT_EQ("", unified_diff("a/x", "b/x", "same\n", "same\n"));
}

TEST(UnifiedDiff, NewFileIsOneHunkFromNothing) {
  EXPECT_EQ("--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+one\n+two\n",
            unified_diff("/dev/null", "b/x", "", "one\ntwo\n"));
}

TEST(UnifiedDiff, DeletedFileIsOneHunkToNothing) {
  EXPECT_EQ("--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-gone\n",
            unified_diff("a/x", "/dev/null", "gone\n", ""));
}

TEST(UnifiedDiff, ChangeShowsThreeLinesOfContext) {
  std::string before = numbered(1, 10);
  std::string after = before;
  after.replace(after.find("line 5\n"), 7, "five\n");
  EXPECT_EQ(
      "--- a/x\n+++ b/x\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+five\n line 6\n"
      " line 7\n line 8\n",
      unified_diff("a/x", "b/x", before, after));
}

TEST(UnifiedDiff, DistantChangesGetTheirOwnHunks) {
  std::string before = numbered(1, 30);
  std::string after = before;
  after.replace(after.find("line 2\n"), 7, "two\n");
  after.replace(after.find("line 28\n"), 8, "");
  std::string diff = unified_diff("a/x", "b/x", before, after);
  EXPECT_NE(std::string::npos, diff.find("@@ -1,5 +1,5 @@\n line 1\n-line 2\n+two\n"));
  EXPECT_NE(std::string::npos, diff.find("@@ -25,6 +25,5 @@\n line 25\n"));
  EXPECT_NE(std::string::npos, diff.find("-line 28\n line 29\n line 30\n"));
}

TEST(UnifiedDiff, NearbyChangesShareAHunk) {
  std::string before = numbered(1, 20);
  std::string after = before;
  after.replace(after.find("line 5\n"), 7, "five\n");
  after.replace(after.find("line 11\n"), 8, "eleven\n");
  std::string diff = unified_diff("a/x", "b/x", before, after);
  EXPECT_NE(std::string::npos, diff.find("@@ -2,13 +2,13 @@\n"));
  EXPECT_EQ(diff.find("@@"), diff.rfind("@@ -"));
}

}  // namespace
