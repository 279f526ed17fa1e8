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
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      diagnostics_.error(at(mark), "alias refers to an unknown anchor");
      throw Abort{};
    }
    // Aliases share the anchored node; nothing is expanded, so alias bombs cost nothing.
    add(it->second, 0);
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
    add(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Node::Kind::sequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Node::Kind::mapping, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    std::shared_ptr<Node> node;
    YAML::anchor_t anchor;
    NodePtr pending_key;  // mapping: the key waiting for its value
    std::unordered_map<std::string, Location> seen_keys;
  };

  Location at(const YAML::Mark& mark) const {
    // yaml-cpp marks are 0-based; diagnostics are 1-based.
    return Location{source_, static_cast<std::uint32_t>(mark.line + 1),
                    static_cast<std::uint32_t>(mark.column + 1)};
  }

  void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (static_cast<int>(stack_.size()) >= max_depth) {
      diagnostics_.error(at(mark), "the model nests deeper than " + std::to_string(max_depth) +
                                       " levels; a model never needs that");
      throw Abort{};
    }
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->where = at(mark);
    stack_.push_back(Open{std::move(n), anchor, nullptr, {}});
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
                               "; YAML keeps only one of them");
      }
      parent.pending_key = std::move(n);
      return;
    }
    node.entries.emplace_back(std::move(parent.pending_key), std::move(n));
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
    diagnostics.error(where, "invalid YAML: " + e.msg);
    return nullptr;
  }
  return builder.root();
}

}  // namespace eskit::model::yaml
