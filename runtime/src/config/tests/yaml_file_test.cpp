// Validation: every problem of every source at once, each with where it came from.
#include <gtest/gtest.h>

#include <map>

#include "eskit/runtime/config/load.hpp"
#include "scratch_dir.hpp"

using namespace eskit::runtime::config;
using eskit::runtime::config::testing::ScratchDir;
using namespace std::chrono_literals;

namespace {

Schema dispatch_schema() {
  Schema schema;
  schema.integer("http.port", 8080, "port of the HTTP API")
      .string("db.url", required, "the database URL", Visibility::secret)
      .duration("payment.timeout", 680ms, "deadline of the payment call")
      .strings("catcher.serviceArea", {"Gangnam"}, "districts drivers are dispatched to")
      .string("catcher.name", "", "display name");
  return schema;
}

Environment env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// The report for `yaml` (written to config.yaml) and `vars`, with the scratch path cut to
// "config.yaml" so expectations read like what a user sees.
class Report {
 public:
  std::string operator()(std::string_view yaml,
                         std::map<std::string, std::string> vars = {{"ESKIT_DB_URL", "x"}}) {
    auto file = dir_.write("config.yaml", yaml);
    LoadResult result = load(dispatch_schema(), {file, false, env(std::move(vars))});
    if (result.ok()) return "ok";
    std::string text = format_problems(result.problems());
    std::string full = file.string();
    for (std::size_t at = text.find(full); at != std::string::npos; at = text.find(full)) {
      text.replace(at, full.size(), "config.yaml");
    }
    return text;
  }

 private:
  ScratchDir dir_;
};

}  // namespace

TEST(Validation, AWrongValueInTheFileNamesItsLineAndColumn) {
  Report report;
  EXPECT_EQ(report("http:\n  port: eighty\n"),
            "config.yaml:2:9: error: http.port: expected an integer, got 'eighty'\n"
            "configuration: 1 error\n");
}

TEST(Validation, EveryProblemIsReportedAtOnceSourceBySource) {
  Report report;
  EXPECT_EQ(report("http:\n"
                   "  prot: 9000\n"
                   "payment:\n"
                   "  timeout: 5 seconds\n"
                   "catcher:\n"
                   "  servicearea: [Gangnam]\n",
                   {{"ESKIT_HTTP_PORT", "99999999999999999999"}}),
            "config.yaml:2:3: error: unknown setting 'http.prot'\n"
            "  note: did you mean 'http.port'?\n"
            "config.yaml:6:3: error: unknown setting 'catcher.servicearea'\n"
            "  note: did you mean 'catcher.serviceArea'?\n"
            "config.yaml:4:12: error: payment.timeout: expected a duration such as 500ms, 5s, "
            "1m30s or 2h, got "
            "'5 seconds'\n"
            "ESKIT_HTTP_PORT: error: http.port: expected an integer, got '99999999999999999999' "
            "(out of range)\n"
            "error: db.url: required but not set\n"
            "  note: the database URL; set it in config.yaml, as ESKIT_DB_URL, or as "
            "ESKIT_DB_URL_FILE naming a "
            "file that holds it\n"
            "configuration: 5 errors\n");
}

TEST(Validation, DuplicateKeysAreReportedNotSilentlyMerged) {
  Report report;
  EXPECT_EQ(report("http:\n  port: 1\n  port: 2\ndb: {url: x}\nhttp:\n  port: 3\n"),
            "config.yaml:3:3: error: duplicate key 'port'\n"
            "  note: first set at line 2; this one is ignored\n"
            "config.yaml:5:1: error: duplicate key 'http'\n"
            "  note: first set at line 1; this one is ignored\n"
            "configuration: 2 errors\n");
}

TEST(Validation, ADottedKeyAndANestedOneSettingTheSameSettingClash) {
  Report report;
  EXPECT_EQ(report("http.port: 1\nhttp:\n  port: 2\n"),
            "config.yaml:3:3: error: http.port: set twice in the file\n"
            "  note: first set at config.yaml:1:1\n"
            "configuration: 1 error\n");
}

TEST(Validation, ValuesOfTheWrongShape) {
  Report report;
  EXPECT_EQ(report("http: 8080\n"
                   "payment:\n"
                   "  timeout: {seconds: 5}\n"
                   "catcher:\n"
                   "  serviceArea: [Gangnam, {name: Seocho}]\n"
                   "  name:\n"
                   "db:\n"
                   "  url: [a, b]\n"),
            "config.yaml:1:7: error: 'http' is a group of settings (http.port), not a value\n"
            "config.yaml:3:12: error: payment.timeout: expected a duration such as 500ms, 5s, "
            "1m30s or 2h, got a "
            "mapping\n"
            "config.yaml:5:16: error: catcher.serviceArea: expected a list of strings, but item 2 "
            "is a mapping\n"
            "config.yaml:6:3: error: catcher.name: expected a string, got an empty value\n"
            "  note: write \"\" for an empty string\n"
            "config.yaml:8:8: error: db.url: expected a string, got a list\n"
            "configuration: 5 errors\n");
}

TEST(Validation, AnUnknownGroupIsReportedOnceWithItsClosestName) {
  Report report;
  EXPECT_EQ(report("htp:\n  port: 1\n  host: x\ncolour: red\ndb: {url: x}\n"),
            "config.yaml:1:1: error: unknown setting 'htp'\n"
            "  note: did you mean 'http'?\n"
            "config.yaml:4:1: error: unknown setting 'colour'\n"
            "configuration: 2 errors\n");
}

TEST(Validation, AFileThatIsNotYamlHidesNoOtherProblemButInventsNone) {
  Report report;
  // db.url might be in the broken file, so it is not reported missing; the environment is
  // still checked.
  EXPECT_EQ(report("http:\n  port: [8080\n", {{"ESKIT_PAYMENT_TIMEOUT", "soon"}}),
            "config.yaml:3:1: error: invalid YAML: end of sequence flow not found\n"
            "ESKIT_PAYMENT_TIMEOUT: error: payment.timeout: expected a duration such as 500ms, 5s, "
            "1m30s or 2h, "
            "got 'soon'\n"
            "configuration: 2 errors\n");
}

TEST(Validation, TheFileHoldsOneMappingOfSettings) {
  Report report;
  EXPECT_EQ(report("- http.port\n"),
            "config.yaml:1:1: error: the file must hold a mapping of settings, not a list\n"
            "configuration: 1 error\n");
  EXPECT_EQ(
      report("db: {url: x}\n---\nhttp: {port: 1}\n"),
      "config.yaml:2:1: error: a configuration file holds one YAML document; found a second one\n"
      "configuration: 1 error\n");
  EXPECT_EQ(report("? [a, b]\n: 1\n"),
            "config.yaml:1:3: error: a key must be a plain name, not a list or mapping\n"
            "configuration: 1 error\n");
}

TEST(Validation, AnUnreadableFileIsNamed) {
  ScratchDir dir;
  auto missing = dir.path() / "missing.yaml";
  LoadResult result = load(dispatch_schema(), {missing, false, env({{"ESKIT_DB_URL", "x"}})});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(format_problems(result.problems()),
            missing.string() +
                ": error: cannot read the configuration file: No such file or directory\n"
                "configuration: 1 error\n");
  LoadResult directory = load(dispatch_schema(), {dir.path(), true, env({{"ESKIT_DB_URL", "x"}})});
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(format_problems(directory.problems()),
            dir.path().string() +
                ": error: cannot read the configuration file: Is a directory\n"
                "configuration: 1 error\n");
}

TEST(Validation, EnvironmentProblemsNameTheVariable) {
  ScratchDir dir;
  auto gone = dir.path() / "gone";
  LoadResult result = load(
      dispatch_schema(),
      {std::nullopt, false, env({{"ESKIT_DB_URL_FILE", gone.string()}, {"ESKIT_HTTP_PORT", ""}})});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(format_problems(result.problems()),
            "ESKIT_HTTP_PORT: error: http.port: expected an integer, got ''\n"
            "ESKIT_DB_URL_FILE=" +
                gone.string() +
                ": error: db.url: cannot read the file: No such file or "
                "directory\n"
                "configuration: 2 errors\n");
  LoadResult unset = load(dispatch_schema(), {std::nullopt, false, env({})});
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(format_problems(unset.problems()),
            "error: db.url: required but not set\n"
            "  note: the database URL; set it as ESKIT_DB_URL, or as ESKIT_DB_URL_FILE naming a "
            "file that holds it\n"
            "configuration: 1 error\n");
}

TEST(Validation, ASecretsWrongValueIsNeverEchoed) {
  Schema schema;
  schema.integer("db.pin", required, "", Visibility::secret);
  ScratchDir dir;
  auto file = dir.write("config.yaml", "db:\n  pin: hunter2\n");
  LoadResult result = load(schema, {file, false, env({{"ESKIT_DB_PIN", "hunter3"}})});
  ASSERT_FALSE(result.ok());
  std::string text = format_problems(result.problems());
  EXPECT_EQ(text,
            file.string() +
                ":2:8: error: db.pin: expected an integer; the value is not shown because the "
                "setting is secret\n"
                "ESKIT_DB_PIN: error: db.pin: expected an integer; the value is not shown because "
                "the setting is secret\n"
                "configuration: 2 errors\n");
  EXPECT_EQ(text.find("hunter"), std::string::npos);
}
