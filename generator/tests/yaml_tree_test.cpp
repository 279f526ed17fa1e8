#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "yaml_tree.hpp"

namespace eskit::model::yaml {
namespace {

struct Parsed {
  NodePtr root;
  Diagnostics diagnostics;
};

Parsed parse_text(const std::string& text) {
  Parsed p;
  auto source = std::make_shared<const SourceFile>("t.yaml", text);
  p.root = parse(source, p.diagnostics);
  return p;
}

TEST(YamlTree, KeepsOneBasedPositionsOfKeysAndValues) {
  auto p = parse_text("a:\n  b: 12\n  c: 'x'\n");
  ASSERT_TRUE(p.root);
  const Node* a = p.root->get("a");
  ASSERT_TRUE(a);
  ASSERT_EQ(2u, a->entries.size());
  EXPECT_EQ(2u, a->entries[0].first->where.line);
  EXPECT_EQ(3u, a->entries[0].first->where.column);
  EXPECT_EQ(6u, a->entries[0].second->where.column);
  EXPECT_FALSE(a->entries[0].second->quoted);
  EXPECT_TRUE(a->entries[1].second->quoted);
}

TEST(YamlTree, ReportsDuplicateKeysThatYamlCppAccepts) {
  auto p = parse_text("a: 1\nb: 2\na: 3\n");
  ASSERT_EQ(1u, p.diagnostics.all().size());
  const auto& d = p.diagnostics.all()[0];
  EXPECT_EQ("duplicate key 'a'", d.message);
  EXPECT_EQ(3u, d.where.line);
  EXPECT_EQ(1u, d.where.column);
  EXPECT_EQ("first defined at line 1; this second one is ignored", d.hint);
  ASSERT_TRUE(p.root);
  ASSERT_EQ(2u, p.root->entries.size());
  EXPECT_EQ("1", p.root->get("a")->value);  // the first one is kept
}

TEST(YamlTree, RefusesRunawayNestingWithoutRecursingDeeply) {
  std::string deep(100000, '[');
  auto p = parse_text(deep);
  EXPECT_FALSE(p.root);
  ASSERT_EQ(1u, p.diagnostics.all().size());
  EXPECT_NE(std::string::npos, p.diagnostics.all()[0].message.find("nests deeper than"));
}

TEST(YamlTree, AliasesShareTheAnchoredNode) {
  // A "billion laughs" document stays tiny: aliases are shared, never expanded.
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char name = 'b'; name <= 'k'; ++name, ++prev) {
    text += std::string(1, name) + ": &" + name + " [*" + prev + ", *" + prev + ", *" + prev +
            ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  auto p = parse_text(text);
  ASSERT_TRUE(p.root);
  EXPECT_TRUE(p.diagnostics.all().empty());
  EXPECT_EQ(p.root->get("a"), p.root->get("b")->items[0].get());
}

TEST(YamlTree, RejectsASecondDocument) {
  auto p = parse_text("a: 1\n---\nb: 2\n");
  EXPECT_FALSE(p.root);
  ASSERT_EQ(1u, p.diagnostics.all().size());
  EXPECT_EQ(2u, p.diagnostics.all()[0].where.line);
}

TEST(YamlTree, PointsAtTheBracketThatIsNeverClosed) {
  auto p = parse_text("a:\n  b: {c: 1, d: [x, y\n  e: 2\n");
  ASSERT_EQ(1u, p.diagnostics.all().size());
  const auto& d = p.diagnostics.all()[0];
  EXPECT_EQ("invalid YAML: this '[' is never closed", d.message);
  EXPECT_EQ(2u, d.where.line);
  EXPECT_EQ(16u, d.where.column);
}

TEST(YamlTree, RefusesAQuoteLeftOpenToTheEnd) {
  // yaml-cpp itself takes the rest of the file as the text.
  auto p = parse_text("a: 1\nb: \"open\nc: 2\n");
  ASSERT_EQ(1u, p.diagnostics.all().size());
  EXPECT_EQ("invalid YAML: text opened with \" is never closed", p.diagnostics.all()[0].message);
  EXPECT_EQ(2u, p.diagnostics.all()[0].where.line);
  EXPECT_EQ(4u, p.diagnostics.all()[0].where.column);
  auto q = parse_text("a: 'it''s fine'\nb: \"say \\\"hi\\\"\"\n");
  EXPECT_TRUE(q.diagnostics.all().empty());
}

TEST(YamlTree, ReportsSyntaxErrorsWithPosition) {
  auto p = parse_text("a: {b: 1\n");
  EXPECT_FALSE(p.root);
  ASSERT_EQ(1u, p.diagnostics.all().size());
  EXPECT_EQ(0u, p.diagnostics.all()[0].message.rfind("invalid YAML: ", 0));
}

}  // namespace
}  // namespace eskit::model::yaml

namespace eskit::model::yaml {
namespace {

// The parallel parse of a large model must build exactly the tree the plain parse builds.
void expect_same(const Node& a, const Node& b, const std::string& path) {
  ASSERT_EQ(a.kind, b.kind) << path;
  EXPECT_EQ(a.value, b.value) << path;
  EXPECT_EQ(a.quoted, b.quoted) << path;
  EXPECT_EQ(a.block, b.block) << path;
  EXPECT_EQ(a.where.line, b.where.line) << path;
  EXPECT_EQ(a.where.column, b.where.column) << path;
  ASSERT_EQ(a.items.size(), b.items.size()) << path;
  for (std::size_t i = 0; i < a.items.size(); ++i) {
    expect_same(*a.items[i], *b.items[i], path + "[" + std::to_string(i) + "]");
  }
  ASSERT_EQ(a.entries.size(), b.entries.size()) << path;
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    expect_same(*a.entries[i].first, *b.entries[i].first,
                path + ".<key " + std::to_string(i) + ">");
    expect_same(*a.entries[i].second, *b.entries[i].second, path + "." + a.entries[i].first->value);
  }
}

class ParallelParse : public testing::TestWithParam<std::string> {};

TEST_P(ParallelParse, BuildsTheSameTreeAsOnePass) {
  std::ifstream in(GetParam());
  std::stringstream text;
  text << in.rdbuf();
  auto source = std::make_shared<const SourceFile>(GetParam(), text.str());
  Diagnostics whole_found, split_found;
  NodePtr whole = parse(source, whole_found, static_cast<std::size_t>(-1));
  NodePtr split = parse(source, split_found, 0);
  ASSERT_TRUE(whole && split);
  EXPECT_TRUE(whole_found.all().empty());
  EXPECT_TRUE(split_found.all().empty());
  expect_same(*whole, *split, "");
}

std::vector<std::string> example_models() {
  std::vector<std::string> out;
  for (const char* name : {"petcare", "rental", "tutoring", "drivercall", "datecourse"}) {
    out.push_back(std::string(ESKIT_SOURCE_DIR) + "/examples/" + name + "/model.yaml");
  }
  out.push_back(std::string(ESKIT_SOURCE_DIR) + "/tests/models/valid/library.yaml");
  return out;
}

INSTANTIATE_TEST_SUITE_P(Examples, ParallelParse, testing::ValuesIn(example_models()));

TEST(ParallelParse, ReportsErrorsExactlyAsOnePassDoes) {
  std::string text =
      "model: m\nversion: 1.0.0\ncontexts:\n  a:\n    kind: core\n    x: [1, 2\n"
      "  b:\n    kind: core\n  b:\n    kind: core\nsagas: {}\n";
  auto source = std::make_shared<const SourceFile>("m.yaml", text);
  Diagnostics split_found, whole_found;
  EXPECT_FALSE(parse(source, split_found, 0));
  EXPECT_FALSE(parse(source, whole_found, static_cast<std::size_t>(-1)));
  ASSERT_EQ(1u, split_found.all().size());
  EXPECT_EQ(whole_found.all()[0].message, split_found.all()[0].message);
  EXPECT_EQ(whole_found.all()[0].where.line, split_found.all()[0].where.line);
}

TEST(ParallelParse, FindsDuplicateContextsAcrossPieces) {
  std::string text =
      "model: m\ncontexts:\n  a:\n    kind: core\n  b:\n    kind: core\n"
      "  a:\n    kind: generic\n";
  auto source = std::make_shared<const SourceFile>("m.yaml", text);
  Diagnostics found;
  NodePtr root = parse(source, found, 0);
  ASSERT_EQ(1u, found.all().size());
  EXPECT_EQ("duplicate key 'a'", found.all()[0].message);
  EXPECT_EQ(7u, found.all()[0].where.line);
  ASSERT_TRUE(root);
  EXPECT_EQ("core", root->get("contexts")->get("a")->get("kind")->value);
}

TEST(ParallelParse, EmptyValueAtTheEndOfAPieceSitsOnItsKey) {
  // Found by the differential fuzzer: yaml-cpp marks an empty value where the next token
  // starts, which is the next context's line in one pass and the piece's end when cut.
  std::string text =
      "model: m\ncontexts:\n  a:\n    kind: core\n    types:\n  b:\n    kind: core\n";
  auto source = std::make_shared<const SourceFile>("m.yaml", text);
  Diagnostics whole_found, split_found;
  NodePtr whole = parse(source, whole_found, static_cast<std::size_t>(-1));
  NodePtr split = parse(source, split_found, 0);
  ASSERT_TRUE(whole && split);
  expect_same(*whole, *split, "");
  const Node* types = whole->get("contexts")->get("a")->get("types");
  ASSERT_TRUE(types);
  EXPECT_EQ(5u, types->where.line);
  EXPECT_EQ(5u, types->where.column);
}

TEST(ParallelParse, FallsBackToOnePassForAnchors) {
  std::string text = "model: m\ncontexts:\n  a: &x {kind: core}\n  b: *x\n";
  auto source = std::make_shared<const SourceFile>("m.yaml", text);
  Diagnostics found;
  NodePtr root = parse(source, found, 0);
  ASSERT_TRUE(root);
  EXPECT_EQ(root->get("contexts")->get("a"), root->get("contexts")->get("b"));
}

}  // namespace
}  // namespace eskit::model::yaml
