// The board's layout over a small model: one sticky per element, none overlapping, lanes apart,
// and the flow reading left to right; plus the context map's relations and the Mermaid ids.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "eskit/diagram/board.hpp"
#include "eskit/diagram/context_map.hpp"
#include "eskit/diagram/mermaid.hpp"
#include "eskit/diagram/plan.hpp"
#include "eskit/diagram/svg.hpp"
#include "eskit/diagram/text.hpp"
#include "eskit/model/load.hpp"

namespace {

using eskit::diagram::Board;
using eskit::diagram::Rect;
using eskit::diagram::StickyKind;

constexpr const char* library_model = R"(model: library
version: 0.1.0
actors:
  Member: A person with a library card
externals:
  Scanner: The self-service scanner at the door
contexts:
  lending:
    kind: core
    aggregates:
      Loan: { id: loanId, fields: { loanId: long, bookId: long, memberId: long } }
    commands:
      BorrowBook:
        aggregate: Loan
        actor: Member
        kind: create
        http: POST /loans
        input: { bookId: long, memberId: long }
        emits: [BookBorrowed]
      ReturnBook:
        aggregate: Loan
        actor: Scanner
        kind: change
        http: POST /loans/{loanId}/return
        input: { loanId: long }
        emits: [BookReturned]
    events:
      BookBorrowed:
        aggregate: Loan
        fields: { loanId: { type: long, correlation: true }, bookId: long, memberId: long }
      BookReturned:
        aggregate: Loan
        fields: { loanId: { type: long, correlation: true }, memberId: long }
    calls:
      CheckMember:
        from: BorrowBook
        to: membership.VerifyMember
        timeout: 1s
  membership:
    kind: supporting
    aggregates:
      Verification: { id: checkId, fields: { checkId: long, memberId: long } }
    commands:
      VerifyMember:
        aggregate: Verification
        kind: create
        http: POST /checks
        input: { memberId: long }
        emits: [MemberVerified]
    events:
      MemberVerified:
        aggregate: Verification
        fields: { checkId: { type: long, correlation: true }, memberId: long }
  notification:
    kind: generic
    aggregates:
      Notice: { id: noticeId, fields: { noticeId: long, memberId: long, text: string } }
    commands:
      SendNotice:
        aggregate: Notice
        kind: create
        input: { memberId: long, text: string }
        emits: [NoticeSent]
    events:
      NoticeSent:
        aggregate: Notice
        fields: { noticeId: { type: long, correlation: true }, memberId: long }
    policies:
      NotifyBorrower:
        when: lending.BookBorrowed
        then: SendNotice
        map: { memberId: memberId, text: "'You borrowed a book'" }
    views:
      MemberLoans:
        key: loanId
        fields: { loanId: long, memberId: long, status: string }
        projections:
          - { on: lending.BookBorrowed, do: create, set: { loanId: loanId, memberId: memberId, status: "'BORROWED'" } }
          - { on: lending.BookReturned, do: update, where: { loanId: loanId }, set: { status: "'RETURNED'" } }
        queries:
          LoansOfMember: { http: GET /member-loans, filter: [memberId] }
)";

std::shared_ptr<const eskit::model::Model> load(const std::string& text) {
  auto source = std::make_shared<const eskit::model::SourceFile>("test.yaml", text);
  eskit::model::Diagnostics diagnostics;
  auto model = eskit::model::load_model(source, diagnostics);
  if (diagnostics.has_errors())
    for (const auto& d : diagnostics.all()) ADD_FAILURE() << d.where.line << ": " << d.message;
  return model;
}

bool overlap(const Rect& a, const Rect& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

bool inside(const Rect& inner, const Rect& outer) {
  return inner.x >= outer.x && inner.y >= outer.y &&
         inner.x + inner.width <= outer.x + outer.width &&
         inner.y + inner.height <= outer.y + outer.height;
}

const eskit::diagram::Sticky& sticky(const Board& board, const std::string& qualified) {
  for (const auto& s : board.stickies)
    if (s.qualified() == qualified) return s;
  ADD_FAILURE() << "no sticky " << qualified;
  static const eskit::diagram::Sticky none;
  return none;
}

/// `a` lies wholly left of `b`.
bool left_of(const Board& board, const std::string& a, const std::string& b) {
  const auto& l = sticky(board, a).box;
  const auto& r = sticky(board, b).box;
  return l.x + l.width <= r.x;
}

class BoardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    model = load(library_model);
    ASSERT_NE(model, nullptr);
    board = eskit::diagram::layout_board(*model);
  }
  std::shared_ptr<const eskit::model::Model> model;
  Board board;
};

TEST_F(BoardTest, EveryElementHasExactlyOneSticky) {
  std::map<std::string, int> count;
  for (const auto& s : board.stickies)
    ++count[std::string(eskit::diagram::spelling(s.kind)) + " " + s.qualified()];
  const std::map<std::string, int> expected = {
      {"actor Member", 1},
      {"external Scanner", 1},
      {"aggregate lending.Loan", 1},
      {"command lending.BorrowBook", 1},
      {"command lending.ReturnBook", 1},
      {"event lending.BookBorrowed", 1},
      {"event lending.BookReturned", 1},
      {"aggregate membership.Verification", 1},
      {"command membership.VerifyMember", 1},
      {"event membership.MemberVerified", 1},
      {"aggregate notification.Notice", 1},
      {"command notification.SendNotice", 1},
      {"event notification.NoticeSent", 1},
      {"policy notification.NotifyBorrower", 1},
      {"view notification.MemberLoans", 1},
  };
  EXPECT_EQ(count, expected);
}

TEST_F(BoardTest, NoStickiesOverlapAndEachSitsInItsLane) {
  for (std::size_t i = 0; i < board.stickies.size(); ++i) {
    for (std::size_t j = i + 1; j < board.stickies.size(); ++j)
      EXPECT_FALSE(overlap(board.stickies[i].box, board.stickies[j].box))
          << board.stickies[i].qualified() << " and " << board.stickies[j].qualified();
    int lanes = 0;
    for (const auto& lane : board.lanes)
      if (lane.context == board.stickies[i].context) {
        ++lanes;
        EXPECT_TRUE(inside(board.stickies[i].box, lane.box)) << board.stickies[i].qualified();
      }
    EXPECT_EQ(lanes, 1) << board.stickies[i].qualified();
  }
  for (std::size_t i = 0; i < board.lanes.size(); ++i)
    for (std::size_t j = i + 1; j < board.lanes.size(); ++j)
      EXPECT_FALSE(overlap(board.lanes[i].box, board.lanes[j].box));
  for (const auto& lane : board.lanes)
    EXPECT_TRUE(inside(lane.box, {0, 0, board.width, board.height}));
}

TEST_F(BoardTest, FlowReadsLeftToRight) {
  EXPECT_TRUE(left_of(board, "Member", "lending.BorrowBook"));
  EXPECT_TRUE(left_of(board, "Scanner", "lending.ReturnBook"));
  EXPECT_TRUE(left_of(board, "lending.BorrowBook", "lending.Loan"));
  EXPECT_TRUE(left_of(board, "lending.Loan", "lending.BookBorrowed"));
  EXPECT_TRUE(left_of(board, "lending.BorrowBook", "lending.BookBorrowed"));
  EXPECT_TRUE(left_of(board, "lending.ReturnBook", "lending.BookReturned"));
  EXPECT_TRUE(left_of(board, "lending.BookBorrowed", "notification.NotifyBorrower"));
  EXPECT_TRUE(left_of(board, "notification.NotifyBorrower", "notification.SendNotice"));
  EXPECT_TRUE(left_of(board, "notification.SendNotice", "notification.NoticeSent"));
  EXPECT_TRUE(left_of(board, "lending.BookReturned", "notification.MemberLoans"));
  EXPECT_TRUE(left_of(board, "lending.BorrowBook", "membership.VerifyMember"));
  EXPECT_TRUE(left_of(board, "membership.VerifyMember", "membership.MemberVerified"));
}

TEST_F(BoardTest, TextFitsItsSticky) {
  for (const auto& s : board.stickies) {
    EXPECT_FALSE(s.lines.empty()) << s.qualified();
    for (const auto& line : s.lines)
      EXPECT_LE(eskit::diagram::text_width(line), s.box.width - 2 * eskit::diagram::sticky_padding)
          << s.qualified() << ": " << line;
    EXPECT_LE(static_cast<int>(s.lines.size()) * eskit::diagram::line_height, s.box.height);
  }
}

TEST(Text, WrapsPascalCaseAndCutsOverlongWords) {
  EXPECT_EQ(eskit::diagram::split_words("HTTPServerStarted"),
            (std::vector<std::string>{"HTTP", "Server", "Started"}));
  EXPECT_EQ(eskit::diagram::wrap("BookBorrowed", 200), (std::vector<std::string>{"Book Borrowed"}));
  const auto cut = eskit::diagram::wrap("Wwwwwwwwwwwwwwwwwwww", 60);
  EXPECT_GT(cut.size(), 1u);
  for (const auto& line : cut) EXPECT_LE(eskit::diagram::text_width(line), 60);
}

TEST(ContextMap, SyncCallsAndConsumedEventsMakeRelations) {
  const auto model = load(library_model);
  ASSERT_NE(model, nullptr);
  const auto map = eskit::diagram::layout_context_map(*model);
  ASSERT_EQ(map.contexts.size(), 3u);
  std::map<std::string, std::string> relations;  // "upstream>downstream" -> kind
  for (const auto& r : map.relations)
    relations[map.contexts[r.upstream].name + ">" + map.contexts[r.downstream].name] =
        eskit::diagram::spelling(r.kind);
  const std::map<std::string, std::string> expected = {{"membership>lending", "sync"},
                                                       {"lending>notification", "pubsub"}};
  EXPECT_EQ(relations, expected);
  for (std::size_t i = 0; i < map.contexts.size(); ++i)
    for (std::size_t j = i + 1; j < map.contexts.size(); ++j)
      EXPECT_FALSE(overlap(map.contexts[i].box, map.contexts[j].box));
}

TEST(Svg, EscapesModelTextAndIsByteStable) {
  std::string text = library_model;
  text.replace(text.find("A person with a library card"), 28, "Reads <b>&\"books\"</b>");
  const auto model = load(text);
  ASSERT_NE(model, nullptr);
  const auto svg = eskit::diagram::board_svg(eskit::diagram::layout_board(*model));
  EXPECT_NE(svg.find("Reads &lt;b&gt;&amp;&quot;books&quot;&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  const auto first = eskit::diagram::diagram_plan(*model);
  const auto again = eskit::diagram::diagram_plan(*model);
  ASSERT_EQ(first.files.size(), 4u);
  for (std::size_t i = 0; i < first.files.size(); ++i)
    EXPECT_EQ(first.files[i].content, again.files[i].content) << first.files[i].path;
}

TEST(Mermaid, NamesEveryStickyOnce) {
  const auto model = load(library_model);
  ASSERT_NE(model, nullptr);
  const auto board = eskit::diagram::layout_board(*model);
  const auto text = eskit::diagram::board_mermaid(board);
  EXPECT_EQ(text.rfind("flowchart LR\n", 0), 0u);
  for (const auto& s : board.stickies)
    EXPECT_NE(text.find("    " + eskit::diagram::node_id(s) + "["), std::string::npos)
        << eskit::diagram::node_id(s);
}

}  // namespace
