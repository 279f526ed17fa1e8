#include "eskit/generate/writer.hpp"

#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "eskit/generate/stamp.hpp"

namespace {

namespace fs = std::filesystem;
using eskit::generate::apply;
using eskit::generate::FileRole;
using eskit::generate::Plan;
using eskit::generate::Problem;
using eskit::generate::stamp;
using eskit::generate::WriteMode;

class Writer : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/eskit-writer-test-XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(pattern));
    root_ = pattern;
  }
  void TearDown() override { fs::remove_all(root_); }

  static Plan plan(const std::string& body) {
    Plan p;
    p.files.push_back(
        {"ctx/gen/a.hpp", stamp("ctx/gen/a.hpp", body, "model.yaml"), FileRole::generated});
    p.files.push_back({"ctx/src/rule.hpp", "// stub\n", FileRole::user});
    return p;
  }

  std::string read(const std::string& path) const {
    std::ifstream in(root_ / path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  void write(const std::string& path, const std::string& text) const {
    std::ofstream(root_ / path, std::ios::binary) << text;
  }

  fs::path root_;
};

TEST_F(Writer, FirstRunWritesEverythingSecondRunNothing) {
  auto first = apply(plan("int a;\n"), root_, WriteMode::write);
  EXPECT_EQ(std::vector<std::string>{"ctx/gen/a.hpp"}, first.written);
  EXPECT_EQ(std::vector<std::string>{"ctx/src/rule.hpp"}, first.created);
  EXPECT_TRUE(fs::exists(root_ / eskit::generate::manifest_name));
  auto manifest_time = fs::last_write_time(root_ / eskit::generate::manifest_name);
  auto file_time = fs::last_write_time(root_ / "ctx/gen/a.hpp");

  auto second = apply(plan("int a;\n"), root_, WriteMode::write);
  EXPECT_TRUE(second.written.empty());
  EXPECT_TRUE(second.created.empty());
  EXPECT_TRUE(second.findings.empty());
  EXPECT_EQ(2u, second.unchanged);
  EXPECT_EQ(file_time, fs::last_write_time(root_ / "ctx/gen/a.hpp"));
  EXPECT_EQ(manifest_time, fs::last_write_time(root_ / eskit::generate::manifest_name));
}

TEST_F(Writer, UserFilesAreNeverOverwritten) {
  apply(plan("int a;\n"), root_, WriteMode::write);
  write("ctx/src/rule.hpp", "// mine\n");
  auto report = apply(plan("int b;\n"), root_, WriteMode::write);
  EXPECT_EQ("// mine\n", read("ctx/src/rule.hpp"));
  EXPECT_NE(std::string::npos, read("ctx/gen/a.hpp").find("int b;"));
  ASSERT_EQ(1u, report.findings.size());
  EXPECT_EQ(Problem::stale, report.findings[0].problem);
}

TEST_F(Writer, CheckFindsHandEditsAndWritesNothing) {
  apply(plan("int a;\n"), root_, WriteMode::write);
  std::string edited = read("ctx/gen/a.hpp") + "int mine;\n";
  write("ctx/gen/a.hpp", edited);
  auto report = apply(plan("int a;\n"), root_, WriteMode::check);
  ASSERT_EQ(1u, report.findings.size());
  EXPECT_EQ(Problem::hand_edited, report.findings[0].problem);
  EXPECT_EQ(edited, read("ctx/gen/a.hpp"));

  report = apply(plan("int a;\n"), root_, WriteMode::write);
  EXPECT_EQ(std::vector<std::string>{"ctx/gen/a.hpp"}, report.overwritten);
  EXPECT_EQ(stamp("ctx/gen/a.hpp", "int a;\n", "model.yaml"), read("ctx/gen/a.hpp"));
}

TEST_F(Writer, FilesThatLeftThePlanAreDeletedOrReported) {
  Plan bigger = plan("int a;\n");
  bigger.files.push_back(
      {"ctx/gen/sub/b.hpp", stamp("ctx/gen/sub/b.hpp", "int b;\n", "m"), FileRole::generated});
  bigger.files.push_back({"ctx/src/old_rule.hpp", "// stub\n", FileRole::user});
  apply(bigger, root_, WriteMode::write);
  write("ctx/gen/notes.txt", "not eskit's\n");

  auto check = apply(plan("int a;\n"), root_, WriteMode::check);
  ASSERT_EQ(1u, check.findings.size());
  EXPECT_EQ("ctx/gen/sub/b.hpp", check.findings[0].path);
  EXPECT_EQ(Problem::extra, check.findings[0].problem);
  EXPECT_TRUE(fs::exists(root_ / "ctx/gen/sub/b.hpp"));

  auto report = apply(plan("int a;\n"), root_, WriteMode::write);
  EXPECT_EQ(std::vector<std::string>{"ctx/gen/sub/b.hpp"}, report.deleted);
  EXPECT_FALSE(fs::exists(root_ / "ctx/gen/sub"));  // emptied directories go too
  EXPECT_EQ(std::vector<std::string>{"ctx/src/old_rule.hpp"}, report.orphaned);
  EXPECT_TRUE(fs::exists(root_ / "ctx/src/old_rule.hpp"));
  EXPECT_EQ(std::vector<std::string>{"ctx/gen/notes.txt"}, report.foreign);
  EXPECT_TRUE(fs::exists(root_ / "ctx/gen/notes.txt"));

  // Still orphaned on the next run, until the team deletes it.
  EXPECT_EQ(std::vector<std::string>{"ctx/src/old_rule.hpp"},
            apply(plan("int a;\n"), root_, WriteMode::write).orphaned);
}

TEST_F(Writer, DryRunDescribesAndWritesNothing) {
  auto report = apply(plan("int a;\n"), root_, WriteMode::dry_run);
  EXPECT_NE(std::string::npos, report.diff.find("--- /dev/null\n+++ b/ctx/gen/a.hpp\n"));
  EXPECT_NE(std::string::npos, report.diff.find("+++ b/ctx/src/rule.hpp\n"));
  EXPECT_TRUE(fs::is_empty(root_));
  apply(plan("int a;\n"), root_, WriteMode::write);
  report = apply(plan("int b;\n"), root_, WriteMode::dry_run);
  EXPECT_NE(std::string::npos, report.diff.find("\n-int a;\n"));
  EXPECT_NE(std::string::npos, report.diff.find("\n+int b;\n"));
  EXPECT_NE(std::string::npos, read("ctx/gen/a.hpp").find("int a;"));
}

}  // namespace
