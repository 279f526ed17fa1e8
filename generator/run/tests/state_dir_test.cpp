// StateDir: what a run may take, what it empties, and that a second run of the same system is
// turned away while the first one holds the directory.
#include "state_dir.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace eskit::run {
namespace {

namespace fs = std::filesystem;

class StateDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("eskit-state-dir-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(StateDirTest, ANewDirectoryIsCreatedAndMarked) {
  std::string error;
  const auto state = StateDir::claim(dir_ / "run", error);
  ASSERT_TRUE(state) << error;
  EXPECT_TRUE(fs::exists(dir_ / "run" / ".eskit-run"));
  EXPECT_EQ(state->path(), dir_ / "run");
}

TEST_F(StateDirTest, ASecondClaimIsRefusedWhileTheFirstHoldsIt) {
  std::string error;
  auto first = StateDir::claim(dir_, error);
  ASSERT_TRUE(first) << error;
  std::ofstream(dir_ / "caller.db") << "live database";

  EXPECT_FALSE(StateDir::claim(dir_, error));
  EXPECT_NE(error.find("another eskit run (process " + std::to_string(::getpid()) + ")"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("--state-dir"), std::string::npos) << error;
  EXPECT_TRUE(fs::exists(dir_ / "caller.db")) << "the refused run emptied the live one's state";

  first.reset();
  const auto next = StateDir::claim(dir_, error);
  ASSERT_TRUE(next) << error;
  EXPECT_FALSE(fs::exists(dir_ / "caller.db")) << "a new run starts from an empty directory";
}

TEST_F(StateDirTest, ADirectoryItDidNotMakeIsLeftAlone) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "thesis.tex") << "not eskit's";
  std::string error;
  EXPECT_FALSE(StateDir::claim(dir_, error));
  EXPECT_NE(error.find("was not made by eskit run"), std::string::npos) << error;
  EXPECT_TRUE(fs::exists(dir_ / "thesis.tex"));
}

}  // namespace
}  // namespace eskit::run
