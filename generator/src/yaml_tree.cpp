#include "yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <sstream>
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
  TreeBuilder(std::shared_ptr<const SourceFile> source, Diagnostics& diagnostics)
      : source_(std::move(source)), diagnostics_(diagnostics) {}

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
    if (col < line.size() && (line[col] == '"' || line[col] == '\'') && !closed(mark.pos, line[col])) {
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
    bool flow = false;    // written `{ }` or `[ ]`
    std::unordered_map<std::string, Location> seen_keys;
  };

  // Whether the quoted scalar starting at byte `pos` has its closing quote.
  bool closed(int pos, char quote) const {
    const std::string& text = source_->text();
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
    return Location{source_, static_cast<std::uint32_t>(mark.line + 1),
                    static_cast<std::uint32_t>(mark.column + 1)};
  }

  void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor, bool flow) {
    if (static_cast<int>(stack_.size()) >= max_depth) {
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
  Diagnostics& diagnostics_;
  std::vector<Open> stack_;
  std::map<YAML::anchor_t, NodePtr> anchors_;
  NodePtr root_;
  int documents_ = 0;
};

}  // namespace

NodePtr parse(const std::shared_ptr<const SourceFile>& source, Diagnostics& diagnostics) {
  std::istringstream in(source->text());
  TreeBuilder builder(source, diagnostics);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const Abort&) {
    return nullptr;
  } catch (const YAML::Exception& e) {
    Location where{source, static_cast<std::uint32_t>(e.mark.line + 1),
                   static_cast<std::uint32_t>(e.mark.column + 1)};
    if (e.mark.is_null()) where = Location{source, 1, 1};
    // yaml-cpp reports an unclosed `{` or `[` where it gave up, often lines later; the
    // bracket that was never closed is what the author needs to see.
    const Node* open_flow = builder.innermost_open_flow();
    bool unclosed = e.msg.find("flow not found") != std::string::npos;
    if (unclosed && open_flow) {
      char bracket = open_flow->is_mapping() ? '{' : '[';
      char closing = bracket == '{' ? '}' : ']';
      diagnostics.error(open_flow->where, std::string("invalid YAML: this '") + bracket +
                                              "' is never closed",
                        std::string("close it with '") + closing + "'; a value inside that "
                        "contains { } [ ] , ? or # must be quoted, such as \"GET /calls/{callId}\"");
      return nullptr;
    }
    // `{ note: string? }` trips YAML itself: `?` starts a complex key inside `{ }`.
    std::string_view line = source->line(where.line);
    std::string hint;
    std::string_view before = where.line > 1 ? source->line(where.line - 1) : std::string_view();
    if ((!line.empty() && line[0] == '\t') || (!before.empty() && before[0] == '\t')) {
      hint = "YAML indents with spaces; this file uses a tab";
    } else if (where.column >= 1 && where.column <= line.size() && line[where.column - 1] == '?') {
      hint = "inside { } write an optional type in quotes, such as \"string?\"";
    } else if (line.find("enum[") != std::string_view::npos && line.find('{') != std::string_view::npos) {
      hint = "inside { } write an enum type in quotes, such as \"enum[A, B]\"";
    } else if (e.msg.find("flow") != std::string::npos) {
      hint = "inside { } or [ ], quote values that contain { } [ ] , ? or #, such as "
             "\"GET /calls/{callId}\"";
    }
    diagnostics.error(where, "invalid YAML: " + e.msg, hint);
    return nullptr;
  }
  return builder.root();
}

}  // namespace eskit::model::yaml
