// The model corpus: every file under tests/models/invalid states, in `# expect:` comment
// lines, the exact diagnostics the checker must produce (position, severity, message and,
// in brackets, the hint such as "did you mean ...?");
// every file under tests/models/valid and every example model must load with no error.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "eskit/model/load.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string test_name(const testing::TestParamInfo<fs::path>& info) {
  std::string name =
      info.param.parent_path().filename().string() + "_" + info.param.stem().string();
  for (auto& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

std::vector<std::string> diagnostics_of(const fs::path& path) {
  auto source = eskit::model::read_source(path.string());
  if (auto* failure = std::get_if<eskit::model::ReadFailure>(&source)) return {failure->message};
  eskit::model::Diagnostics diagnostics;
  eskit::model::load_model(std::get<0>(source), diagnostics);
  std::vector<std::string> out;
  for (const auto& d : diagnostics.all()) {
    out.push_back(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ": " +
                  (d.severity == eskit::model::Severity::error ? "error" : "warning") + ": " +
                  d.message + (d.hint.empty() ? "" : "  [" + d.hint + "]"));
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "  " + l + "\n";
  return out.empty() ? "  (none)\n" : out;
}

class InvalidModel : public testing::TestWithParam<fs::path> {};

TEST_P(InvalidModel, ReportsExactlyTheExpectedDiagnostics) {
  std::ifstream in(GetParam());
  std::vector<std::string> expected;
  const std::string marker = "# expect: ";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(marker, 0) == 0) expected.push_back(line.substr(marker.size()));
  }
  ASSERT_FALSE(expected.empty()) << GetParam() << " has no '# expect:' line";
  std::vector<std::string> actual = diagnostics_of(GetParam());
  EXPECT_EQ(expected, actual) << GetParam().string() << "\nexpected:\n"
                              << joined(expected) << "actual:\n"
                              << joined(actual);
  bool has_error = std::any_of(actual.begin(), actual.end(), [](const std::string& d) {
    return d.find(": error: ") != std::string::npos;
  });
  EXPECT_TRUE(has_error) << "an invalid model must have at least one error";
}

INSTANTIATE_TEST_SUITE_P(Corpus, InvalidModel,
                         testing::ValuesIn(files_in(ESKIT_SOURCE_DIR "/tests/models/invalid")),
                         test_name);

class ValidModel : public testing::TestWithParam<fs::path> {};

TEST_P(ValidModel, LoadsWithoutErrorsOrWarnings) {
  EXPECT_EQ(std::vector<std::string>{}, diagnostics_of(GetParam())) << GetParam();
}

std::vector<fs::path> valid_models() {
  std::vector<fs::path> out = files_in(ESKIT_SOURCE_DIR "/tests/models/valid");
  for (const auto& entry : fs::directory_iterator(ESKIT_SOURCE_DIR "/examples")) {
    if (fs::exists(entry.path() / "model.yaml")) out.push_back(entry.path() / "model.yaml");
  }
  return out;
}

std::string valid_name(const testing::TestParamInfo<fs::path>& info) {
  if (info.param.filename() == "model.yaml") {
    return "example_" + info.param.parent_path().filename().string();
  }
  return test_name(info);
}

INSTANTIATE_TEST_SUITE_P(Corpus, ValidModel, testing::ValuesIn(valid_models()), valid_name);

TEST(Corpus, CoversEnoughInvalidModels) {
  // The acceptance bar for the checker: a broad corpus of small broken models.
  EXPECT_GE(files_in(ESKIT_SOURCE_DIR "/tests/models/invalid").size(), 60u);
  std::size_t examples = 0;
  for (const auto& entry : fs::directory_iterator(ESKIT_SOURCE_DIR "/examples")) {
    examples += fs::exists(entry.path() / "model.yaml");
  }
  EXPECT_EQ(examples, 5u) << "the five reference systems each ship a model.yaml";
}

}  // namespace
