#include "yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <optional>
#include <sstream>
#include <thread>
#include <unordered_map>

namespace eskit::model::yaml {

const Node* Node::get(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k->value == key) return v.get();
  }
  return nullptr;
}

namespace {

// Thrown to stop parsing once an error makes the rest meaningless.
struct Abort {};

class TreeBuilder : public YAML::EventHandler {
 public:
  /// Builds the tree of `text`, a piece of `source` that starts at line `first_line` and
  /// sits `depth` levels deep in the whole document.
  TreeBuilder(std::shared_ptr<const SourceFile> source, std::string_view text,
              std::uint32_t first_line, int depth, Diagnostics& diagnostics)
      : source_(std::move(source)),
        text_(text),
        line_offset_(first_line - 1),
        base_depth_(depth),
        diagnostics_(diagnostics) {}

  NodePtr root() const { return root_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      diagnostics_.error(at(mark), "a model file holds one YAML document; found a second one");
      throw Abort{};
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::null;
    n->where = at(mark);
    // An empty value (`key:` and nothing) has no token of its own; yaml-cpp marks wherever
    // the next token starts, often on another line. It belongs to its key.
    std::string_view rest =
        text_.substr(std::min<std::size_t>(static_cast<std::size_t>(mark.pos), text_.size()));
    bool written = rest.rfind("null", 0) == 0 || rest.rfind("Null", 0) == 0 ||
                   rest.rfind("NULL", 0) == 0 || rest.rfind("~", 0) == 0;
    if (!written && !stack_.empty()) {
      const Open& parent = stack_.back();
      n->where = parent.pending_key ? parent.pending_key->where : parent.node->where;
    }
    add(std::move(n), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    // Aliases share the anchored node; nothing is expanded, so alias bombs cost nothing.
    // (yaml-cpp itself refuses an alias to an unknown anchor.)
    auto it = anchors_.find(anchor);
    if (it != anchors_.end()) {
      add(it->second, 0);
    } else {
      OnNull(mark, 0);
    }
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::scalar;
    n->where = at(mark);
    n->value = value;
    // yaml-cpp tags non-plain scalars "!" and plain ones "?".
    n->quoted = tag == "!";
    std::string_view line = source_->line(n->where.line);
    std::size_t col = n->where.column - 1;
    n->block = col < line.size() && (line[col] == '|' || line[col] == '>');
    if (col < line.size() && (line[col] == '"' || line[col] == '\'') &&
        !closed(mark.pos, line[col])) {
      // yaml-cpp accepts a quote left open to the end of the file, swallowing the rest.
      diagnostics_.error(n->where, std::string("invalid YAML: text opened with ") + line[col] +
                                       " is never closed");
      throw Abort{};
    }
    add(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(Node::Kind::sequence, mark, anchor, style == YAML::EmitterStyle::Flow);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(Node::Kind::mapping, mark, anchor, style == YAML::EmitterStyle::Flow);
  }

  Location location(const YAML::Mark& mark) const { return at(mark); }

  /// The innermost `{` or `[` still open: where an unclosed flow collection began.
  const Node* innermost_open_flow() const {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
      if (it->flow) return it->node.get();
    }
    return nullptr;
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    std::shared_ptr<Node> node;
    YAML::anchor_t anchor;
    NodePtr pending_key;  // mapping: the key waiting for its value
    bool pending_duplicate = false;
    bool flow = false;  // written `{ }` or `[ ]`
    std::unordered_map<std::string, Location> seen_keys;
  };

  // Whether the quoted scalar starting at byte `pos` of the parsed text has its closing quote.
  bool closed(int pos, char quote) const {
    std::string_view text = text_;
    for (std::size_t i = static_cast<std::size_t>(pos) + 1; i < text.size(); ++i) {
      if (quote == '"' && text[i] == '\\') {
        ++i;
      } else if (text[i] == quote) {
        if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;  // '' is an escaped quote inside single quotes
        } else {
          return true;
        }
      }
    }
    return false;
  }

  Location at(const YAML::Mark& mark) const {
    // yaml-cpp marks are 0-based; diagnostics are 1-based.
    return Location{source_, static_cast<std::uint32_t>(mark.line + 1) + line_offset_,
                    static_cast<std::uint32_t>(mark.column + 1)};
  }

  void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor, bool flow) {
    if (static_cast<int>(stack_.size()) + base_depth_ >= max_depth) {
      diagnostics_.error(at(mark), "the model nests deeper than " + std::to_string(max_depth) +
                                       " levels; a model never needs that");
      throw Abort{};
    }
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->where = at(mark);
    Open o;
    o.node = std::move(n);
    o.anchor = anchor;
    o.flow = flow;
    stack_.push_back(std::move(o));
  }

  void close() {
    Open done = std::move(stack_.back());
    stack_.pop_back();
    add(std::move(done.node), done.anchor);
  }

  void add(NodePtr n, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = n;
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Open& parent = stack_.back();
    auto& node = *parent.node;
    if (node.kind == Node::Kind::sequence) {
      node.items.push_back(std::move(n));
      return;
    }
    if (!parent.pending_key) {
      if (!n->is_scalar()) {
        diagnostics_.error(n->where, "a mapping key must be a plain name, not a list or mapping");
        throw Abort{};
      }
      auto [it, inserted] = parent.seen_keys.emplace(n->value, n->where);
      if (!inserted) {
        diagnostics_.error(n->where, "duplicate key '" + n->value + "'",
                           "first defined at line " + std::to_string(it->second.line) +
                               "; this second one is ignored");
      }
      parent.pending_key = std::move(n);
      parent.pending_duplicate = !inserted;
      return;
    }
    if (!parent.pending_duplicate) {
      node.entries.emplace_back(std::move(parent.pending_key), std::move(n));
    }
    parent.pending_key = nullptr;
  }

  std::shared_ptr<const SourceFile> source_;
  std::string_view text_;
  std::uint32_t line_offset_;
  int base_depth_;
  Diagnostics& diagnostics_;
  std::vector<Open> stack_;
  std::map<YAML::anchor_t, NodePtr> anchors_;
  NodePtr root_;
  int documents_ = 0;
};

}  // namespace

namespace {

// Parses one piece of the source (the whole file, or one context) into a tree.
NodePtr parse_piece(const std::shared_ptr<const SourceFile>& source, std::string_view text,
                    std::uint32_t first_line, int depth, Diagnostics& diagnostics) {
  std::istringstream in{std::string(text)};
  TreeBuilder builder(source, text, first_line, depth, diagnostics);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const Abort&) {
    return nullptr;
  } catch (const YAML::Exception& e) {
    Location where = e.mark.is_null() ? Location{source, first_line, 1} : builder.location(e.mark);
    // yaml-cpp reports an unclosed `{` or `[` where it gave up, often lines later; the
    // bracket that was never closed is what the author needs to see.
    const Node* open_flow = builder.innermost_open_flow();
    bool unclosed = e.msg.find("flow not found") != std::string::npos;
    if (unclosed && open_flow) {
      char bracket = open_flow->is_mapping() ? '{' : '[';
      char closing = bracket == '{' ? '}' : ']';
      diagnostics.error(
          open_flow->where, std::string("invalid YAML: this '") + bracket + "' is never closed",
          std::string("close it with '") + closing +
              "'; a value inside that "
              "contains { } [ ] , ? or # must be quoted, such as \"GET /calls/{callId}\"");
      return nullptr;
    }
    std::string_view line = source->line(where.line);
    std::string hint;
    std::string_view before = where.line > 1 ? source->line(where.line - 1) : std::string_view();
    if ((!line.empty() && line[0] == '\t') || (!before.empty() && before[0] == '\t')) {
      hint = "YAML indents with spaces; this file uses a tab";
    } else if (where.column >= 1 && where.column <= line.size() && line[where.column - 1] == '?') {
      // `{ note: string? }` trips YAML itself: `?` starts a complex key inside `{ }`.
      hint = "inside { } write an optional type in quotes, such as \"string?\"";
    } else if (line.find("enum[") != std::string_view::npos &&
               line.find('{') != std::string_view::npos) {
      hint = "inside { } write an enum type in quotes, such as \"enum[A, B]\"";
    } else if (e.msg.find("flow") != std::string::npos) {
      hint =
          "inside { } or [ ], quote values that contain { } [ ] , ? or #, such as "
          "\"GET /calls/{callId}\"";
    }
    diagnostics.error(where, "invalid YAML: " + e.msg, hint);
    return nullptr;
  }
  return builder.root();
}

// A model cut for parallel parsing: the top level with the body of `contexts:` replaced by
// blank lines (so line numbers hold), and one piece per context entry.
struct Pieces {
  std::string top;
  struct Context {
    std::string_view text;
    std::uint32_t first_line;
  };
  std::vector<Context> contexts;
};

bool blank_or_comment(std::string_view line) {
  auto first = line.find_first_not_of(' ');
  return first == std::string_view::npos || line[first] == '#';
}

// `name:` or `name: ...` with a name of letters, digits, `_` and `-`.
bool plain_key(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() &&
         (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_' || line[i] == '-')) {
    ++i;
  }
  return i > 0 && i < line.size() && line[i] == ':' && (i + 1 == line.size() || line[i + 1] == ' ');
}

// Cuts `text` at its context entries, or says no when the file uses anything that could
// make a piece mean something else on its own: anchors and aliases, directives, document
// markers, tab indentation, or a `contexts:` that is not a plain block mapping indented by
// two spaces.
std::optional<Pieces> cut(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < text.size();) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    bool token_start = i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '[' ||
                       text[i - 1] == '{' || text[i - 1] == ',';
    if ((ch == '&' || ch == '*') && token_start && i + 1 < text.size() && text[i + 1] != ' ') {
      return std::nullopt;
    }
  }
  std::size_t body_begin = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.rfind("---", 0) == 0 || line.rfind("...", 0) == 0 || line.rfind("%", 0) == 0 ||
        line.find('\t') < line.find_first_not_of(" \t")) {
      return std::nullopt;
    }
    if (line.rfind("contexts:", 0) == 0) {
      std::string_view rest = line.substr(9);
      if (!blank_or_comment(rest) || body_begin != 0) return std::nullopt;
      body_begin = i + 1;
    }
  }
  if (body_begin == 0) return std::nullopt;
  Pieces pieces;
  std::size_t body_end = body_begin;
  for (; body_end < lines.size(); ++body_end) {
    std::string_view line = lines[body_end];
    if (blank_or_comment(line)) continue;
    if (line[0] != ' ') break;                                   // the next top-level key
    if (line.size() < 2 || line[1] != ' ') return std::nullopt;  // indented by one space
    bool entry = line.size() > 2 && line[2] != ' ';
    // An entry is a plain name and a colon; anything else at this depth (a list item, a
    // quoted or complex key, a continued scalar) is left to the one-pass parse.
    if (entry && !plain_key(line.substr(2))) return std::nullopt;
    if (entry) {
      pieces.contexts.push_back({{}, static_cast<std::uint32_t>(body_end + 1)});
    } else if (pieces.contexts.empty()) {
      return std::nullopt;  // the body does not start with an entry at two spaces
    }
  }
  if (pieces.contexts.size() < 2) return std::nullopt;
  // Each piece runs from its entry's line to the next entry's (or the body's end).
  auto offset_of_line = [&](std::size_t line) {
    return line < lines.size() ? static_cast<std::size_t>(lines[line].data() - text.data())
                               : text.size();
  };
  for (std::size_t k = 0; k < pieces.contexts.size(); ++k) {
    std::size_t from = pieces.contexts[k].first_line - 1;
    std::size_t to =
        k + 1 < pieces.contexts.size() ? pieces.contexts[k + 1].first_line - 1 : body_end;
    pieces.contexts[k].text =
        text.substr(offset_of_line(from), offset_of_line(to) - offset_of_line(from));
  }
  std::size_t body_from = offset_of_line(body_begin);
  std::size_t body_to = offset_of_line(body_end);
  pieces.top.reserve(text.size() - (body_to - body_from) + (body_end - body_begin));
  pieces.top.append(text.substr(0, body_from));
  pieces.top.append(body_end - body_begin, '\n');
  pieces.top.append(text.substr(body_to));
  return pieces;
}

}  // namespace

NodePtr parse(const std::shared_ptr<const SourceFile>& source, Diagnostics& diagnostics,
              std::size_t split_from_bytes) {
  const std::string& text = source->text();
  std::optional<Pieces> pieces;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  if (text.size() >= split_from_bytes) pieces = cut(text);
  if (!pieces) return parse_piece(source, text, 1, 0, diagnostics);

  // Each context is a document of its own, parsed by whichever worker takes it next.
  std::vector<NodePtr> roots(pieces->contexts.size());
  std::vector<Diagnostics> found(pieces->contexts.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < roots.size();) {
      const auto& piece = pieces->contexts[k];
      roots[k] = parse_piece(source, piece.text, piece.first_line, 2, found[k]);
    }
  };
  std::vector<std::thread> workers;
  for (unsigned i = 1; i < cores && i < roots.size(); ++i) workers.emplace_back(work);
  Diagnostics top_found;
  NodePtr top = parse_piece(source, pieces->top, 1, 0, top_found);
  work();
  for (auto& w : workers) w.join();

  // Any surprise (an error, a piece that is not one `name: ...` entry) and the file is read
  // again in one pass, so a broken model is reported exactly as a small one would be.
  bool clean = top && top->is_mapping() && top_found.all().empty();
  for (std::size_t k = 0; k < roots.size() && clean; ++k) {
    clean = roots[k] && roots[k]->is_mapping() && roots[k]->entries.size() == 1 &&
            found[k].all().empty();
  }
  if (!clean) return parse_piece(source, text, 1, 0, diagnostics);

  auto contexts = std::make_shared<Node>();
  contexts->kind = Node::Kind::mapping;
  contexts->where = roots.front()->where;
  std::map<std::string, Location> seen;
  for (const auto& root : roots) {
    const auto& entry = root->entries.front();
    auto [it, inserted] = seen.emplace(entry.first->value, entry.first->where);
    if (!inserted) {
      diagnostics.error(entry.first->where, "duplicate key '" + entry.first->value + "'",
                        "first defined at line " + std::to_string(it->second.line) +
                            "; this second one is ignored");
      continue;
    }
    contexts->entries.push_back(entry);
  }
  // The top level holds `contexts:` with nothing after it; give it the parsed contexts.
  auto whole = std::make_shared<Node>(*top);
  for (auto& [key, value] : whole->entries) {
    if (key->value == "contexts") value = contexts;
  }
  return whole;
}

}  // namespace eskit::model::yaml
