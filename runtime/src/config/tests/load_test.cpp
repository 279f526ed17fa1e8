// Loading from every source: precedence, origins, mounted files, the effective configuration.
#include "eskit/runtime/config/load.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

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
      .boolean("http.cors", false, "allow any origin");
  return schema;
}

Environment env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Config loaded(const Schema& schema, const Sources& sources) {
  LoadResult result = load(schema, sources);
  EXPECT_TRUE(result.ok()) << format_problems(result.problems());
  if (!result.ok()) throw std::runtime_error("configuration did not load");
  return result.config();
}

}  // namespace

TEST(Load, DefaultsApplyWhenNothingElseSetsAValue) {
  Config c =
      loaded(dispatch_schema(), {std::nullopt, false, env({{"ESKIT_DB_URL", "sqlite::memory:"}})});
  EXPECT_EQ(c.integer("http.port"), 8080);
  EXPECT_EQ(c.duration("payment.timeout"), 680ms);
  EXPECT_EQ(c.strings("catcher.serviceArea"), std::vector<std::string>{"Gangnam"});
  EXPECT_FALSE(c.boolean("http.cors"));
  EXPECT_EQ(c.origin("http.port").kind, Origin::Kind::fallback);
  EXPECT_EQ(c.string("db.url"), "sqlite::memory:");
  EXPECT_EQ(c.origin("db.url").where, "ESKIT_DB_URL");
}

TEST(Load, EachSourceOverridesTheOneBeforeIt) {
  ScratchDir dir;
  auto file = dir.write("config.yaml",
                        "http:\n"
                        "  port: 9000\n"
                        "  cors: true\n"
                        "db:\n"
                        "  url: postgres://file\n"
                        "catcher:\n"
                        "  serviceArea: [Seocho, Songpa]\n");
  auto secret = dir.write("db-url", "postgres://secret\n");
  Config c = loaded(dispatch_schema(), {file, false,
                                        env({{"ESKIT_HTTP_PORT", "9100"},
                                             {"ESKIT_DB_URL", "postgres://env"},
                                             {"ESKIT_DB_URL_FILE", secret.string()}})});
  // default < file
  EXPECT_TRUE(c.boolean("http.cors"));
  EXPECT_EQ(c.origin("http.cors").where, file.string() + ":3:9");
  EXPECT_EQ(c.origin("http.cors").kind, Origin::Kind::file);
  EXPECT_EQ(c.strings("catcher.serviceArea"), (std::vector<std::string>{"Seocho", "Songpa"}));
  // file < environment
  EXPECT_EQ(c.integer("http.port"), 9100);
  EXPECT_EQ(c.origin("http.port").kind, Origin::Kind::environment);
  // environment < mounted file, whose trailing newline is not part of the value
  EXPECT_EQ(c.string("db.url"), "postgres://secret");
  EXPECT_EQ(c.origin("db.url").kind, Origin::Kind::mounted_file);
  EXPECT_EQ(c.origin("db.url").where, "ESKIT_DB_URL_FILE=" + secret.string());
}

TEST(Load, AMountedFileLosesOneTrailingNewlineOnly) {
  ScratchDir dir;
  auto crlf = dir.write("crlf", "a\r\n");
  auto two = dir.write("two", "line1\nline2\n\n");
  auto none = dir.write("none", "  spaced  ");
  Schema schema;
  schema.string("a", required, "").string("b", required, "").string("c", required, "");
  Config c = loaded(schema, {std::nullopt, false,
                             env({{"ESKIT_A_FILE", crlf.string()},
                                  {"ESKIT_B_FILE", two.string()},
                                  {"ESKIT_C_FILE", none.string()}})});
  EXPECT_EQ(c.string("a"), "a");
  EXPECT_EQ(c.string("b"), "line1\nline2\n");
  EXPECT_EQ(c.string("c"), "  spaced  ");
}

TEST(Load, ListsFromTheEnvironmentAreCommaSeparated) {
  Config c =
      loaded(dispatch_schema(),
             {std::nullopt, false,
              env({{"ESKIT_DB_URL", "x"}, {"ESKIT_CATCHER_SERVICE_AREA", "Gangnam, Seocho"}})});
  EXPECT_EQ(c.strings("catcher.serviceArea"), (std::vector<std::string>{"Gangnam", "Seocho"}));
}

TEST(Load, DottedKeysInTheFileWorkLikeNestedOnes) {
  ScratchDir dir;
  auto file = dir.write("config.yaml", "http.port: 9000\ndb: {url: x}\n");
  Config c = loaded(dispatch_schema(), {file, false, env({})});
  EXPECT_EQ(c.integer("http.port"), 9000);
  EXPECT_EQ(c.origin("http.port").where, file.string() + ":1:12");
}

TEST(Load, AnOptionalFileMayBeAbsentAndAnEmptyFileSetsNothing) {
  ScratchDir dir;
  Sources absent{dir.path() / "missing.yaml", true, env({{"ESKIT_DB_URL", "x"}})};
  EXPECT_EQ(loaded(dispatch_schema(), absent).integer("http.port"), 8080);
  Sources empty{dir.write("empty.yaml", "# nothing yet\n"), false, env({{"ESKIT_DB_URL", "x"}})};
  EXPECT_EQ(loaded(dispatch_schema(), empty).integer("http.port"), 8080);
}

TEST(Load, AnAliasReadsTheAnchoredValue) {
  ScratchDir dir;
  auto file =
      dir.write("config.yaml", "db: {url: &u x}\nhttp: {port: 1}\ncatcher: {serviceArea: [*u]}\n");
  EXPECT_EQ(loaded(dispatch_schema(), {file, false, env({})}).strings("catcher.serviceArea"),
            std::vector<std::string>{"x"});
}

TEST(Config, MisuseByTheServiceIsALogicError) {
  Config c = loaded(dispatch_schema(), {std::nullopt, false, env({{"ESKIT_DB_URL", "x"}})});
  EXPECT_THROW(c.integer("http.prot"), std::logic_error);
  try {
    c.string("http.port");
    FAIL() << "reading an integer as a string must throw";
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(),
                 "configuration setting 'http.port' holds an integer, read as another type");
  }
}

TEST(Config, TheEffectiveConfigurationNamesSourcesAndMasksSecrets) {
  ScratchDir dir;
  auto file = dir.write("c.yaml", "payment:\n  timeout: 2s\n");
  auto secret = dir.write("db", "postgres://user:hunter2@db/dispatch\n");
  Config c = loaded(
      dispatch_schema(),
      {file, false, env({{"ESKIT_HTTP_PORT", "9100"}, {"ESKIT_DB_URL_FILE", secret.string()}})});
  std::string f = file.string();
  EXPECT_EQ(c.effective(),
            "http.port           = 9100         ESKIT_HTTP_PORT\n"
            "db.url              = ***          ESKIT_DB_URL_FILE=" +
                secret.string() +
                "\n"
                "payment.timeout     = 2s           " +
                f +
                ":2:12\n"
                "catcher.serviceArea = [\"Gangnam\"]  default\n"
                "http.cors           = false        default\n");
  EXPECT_EQ(c.effective().find("hunter2"), std::string::npos);
}

TEST(LoadOrExit, AWrongConfigurationExitsWithExConfigAndTheReport) {
  Schema schema = dispatch_schema();
  Sources sources{std::nullopt, false, env({{"ESKIT_HTTP_PORT", "eighty"}})};
  EXPECT_EXIT(load_or_exit(schema, sources, std::cerr), ::testing::ExitedWithCode(78),
              "ESKIT_HTTP_PORT: error: http.port: expected an integer, got 'eighty'\n"
              ".*configuration: 2 errors");
}

TEST(LoadOrExit, ARightConfigurationIsReturned) {
  std::ostringstream err;
  Config c =
      load_or_exit(dispatch_schema(), {std::nullopt, false, env({{"ESKIT_DB_URL", "x"}})}, err);
  EXPECT_EQ(c.string("db.url"), "x");
  EXPECT_EQ(err.str(), "");
}
