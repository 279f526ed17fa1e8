#include "config/yaml_file.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <map>
#include <memory>
#include <sstream>

#include "eskit/runtime/text/did_you_mean.hpp"

namespace eskit::runtime::config {

namespace {

struct Node;
using NodePtr = std::shared_ptr<const Node>;

// A positioned YAML tree: yaml-cpp's own YAML::Node forgets duplicate keys and where the
// values were, both of which the report needs.
struct Node {
  enum class Kind { null, scalar, sequence, mapping };
  Kind kind = Kind::null;
  std::string value;
  int line = 0;  // 1-based
  int column = 0;
  std::vector<NodePtr> items;
  std::vector<std::pair<NodePtr, NodePtr>> entries;
};

// Thrown to stop at a problem that makes the rest of the file meaningless.
struct Abort {};

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, std::vector<Problem>& problems)
      : file_(file), problems_(problems) {}

  NodePtr root() const { return root_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      problems_.push_back({where(mark),
                           {},
                           "a configuration file holds one YAML document; found a second one",
                           {}});
      throw Abort{};
    }
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(make(Node::Kind::null, mark), anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    add(it != anchors_.end() ? it->second : make(Node::Kind::null, mark), 0);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& value) override {
    auto n = make(Node::Kind::scalar, mark);
    n->value = value;
    add(std::move(n), anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    stack_.push_back({make(Node::Kind::sequence, mark), anchor, nullptr, false, {}});
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    stack_.push_back({make(Node::Kind::mapping, mark), anchor, nullptr, false, {}});
  }
  void OnMapEnd() override { close(); }

  std::string where(const YAML::Mark& mark) const {
    // yaml-cpp marks are 0-based; people count from 1.
    return file_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
  }

 private:
  struct Open {
    std::shared_ptr<Node> node;
    YAML::anchor_t anchor;
    NodePtr pending_key;
    bool pending_duplicate;
    std::map<std::string, int> seen_keys;  // key -> line
  };

  static std::shared_ptr<Node> make(Node::Kind kind, const YAML::Mark& mark) {
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->line = mark.line + 1;
    n->column = mark.column + 1;
    return n;
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
    if (parent.node->kind == Node::Kind::sequence) {
      parent.node->items.push_back(std::move(n));
      return;
    }
    if (!parent.pending_key) {
      if (n->kind != Node::Kind::scalar) {
        problems_.push_back(
            {file_ + ":" + std::to_string(n->line) + ":" + std::to_string(n->column),
             {},
             "a key must be a plain name, not a list or mapping",
             {}});
        throw Abort{};
      }
      // yaml-cpp keeps the last of two equal keys without a word; a second `port:` is
      // almost always a merge mistake, so it is reported and ignored.
      auto [it, inserted] = parent.seen_keys.emplace(n->value, n->line);
      if (!inserted) {
        problems_.push_back(
            {file_ + ":" + std::to_string(n->line) + ":" + std::to_string(n->column),
             {},
             "duplicate key '" + n->value + "'",
             "first set at line " + std::to_string(it->second) + "; this one is ignored"});
      }
      parent.pending_duplicate = !inserted;
      parent.pending_key = std::move(n);
      return;
    }
    if (!parent.pending_duplicate)
      parent.node->entries.emplace_back(std::move(parent.pending_key), std::move(n));
    parent.pending_key = nullptr;
  }

  const std::string& file_;
  std::vector<Problem>& problems_;
  std::vector<Open> stack_;
  std::map<YAML::anchor_t, NodePtr> anchors_;
  NodePtr root_;
  int documents_ = 0;
};

std::string_view kind_text(Node::Kind kind) {
  switch (kind) {
    case Node::Kind::null:
      return "an empty value";
    case Node::Kind::scalar:
      return "a value";
    case Node::Kind::sequence:
      return "a list";
    case Node::Kind::mapping:
      return "a mapping";
  }
  return {};
}

// Walks the tree, turning nested keys into dotted names.
class Flattener {
 public:
  Flattener(const std::string& file, const Schema& schema, FileSettings& out)
      : file_(file), schema_(schema), out_(out) {
    for (const Setting& s : schema.settings()) {
      candidates_.push_back(s.name);
      for (std::size_t dot = s.name.find('.'); dot != std::string::npos;
           dot = s.name.find('.', dot + 1)) {
        candidates_.push_back(s.name.substr(0, dot));
      }
    }
  }

  void mapping(const Node& map, const std::string& prefix) {
    for (const auto& [key, value] : map.entries) {
      std::string name = prefix.empty() ? key->value : prefix + "." + key->value;
      if (schema_.find(name)) {
        setting(name, *key, *value);
      } else if (schema_.is_group(name)) {
        if (value->kind == Node::Kind::mapping) {
          mapping(*value, name);
        } else if (value->kind != Node::Kind::null) {
          out_.problems.push_back({at(*value),
                                   {},
                                   "'" + name + "' is a group of settings (" + members(name) +
                                       "), not " + std::string(kind_text(value->kind)),
                                   {}});
        }
      } else {
        out_.problems.push_back({at(*key),
                                 {},
                                 "unknown setting '" + name + "'",
                                 text::did_you_mean(name, candidates_)});
      }
    }
  }

 private:
  void setting(const std::string& name, const Node& key, const Node& value) {
    // "http.port: 1" and "http: {port: 2}" in one file set the same setting twice.
    auto [it, inserted] = first_set_.emplace(name, at(key));
    if (!inserted) {
      out_.problems.push_back(
          {at(key), name, "set twice in the file", "first set at " + it->second});
      return;
    }
    FileValue v;
    v.name = name;
    v.where = at(value);
    switch (value.kind) {
      case Node::Kind::null:
        v.shape = FileValue::Shape::empty;
        // An empty value has no token of its own; yaml-cpp marks wherever the next one is.
        v.where = at(key);
        break;
      case Node::Kind::scalar:
        v.shape = FileValue::Shape::scalar;
        v.text = value.value;
        break;
      case Node::Kind::mapping:
        v.shape = FileValue::Shape::mapping;
        break;
      case Node::Kind::sequence:
        v.shape = FileValue::Shape::list;
        for (std::size_t i = 0; i < value.items.size(); ++i) {
          const Node& item = *value.items[i];
          if (item.kind == Node::Kind::scalar) {
            v.items.push_back(item.value);
          } else if (v.bad_item.empty()) {
            v.bad_item =
                "item " + std::to_string(i + 1) + " is " + std::string(kind_text(item.kind));
          }
        }
        break;
    }
    out_.values.push_back(std::move(v));
  }

  std::string members(const std::string& group) const {
    std::string list;
    for (const Setting& s : schema_.settings()) {
      if (s.name.starts_with(group + ".")) list += (list.empty() ? "" : ", ") + s.name;
    }
    return list;
  }

  std::string at(const Node& n) const {
    return file_ + ":" + std::to_string(n.line) + ":" + std::to_string(n.column);
  }

  const std::string& file_;
  const Schema& schema_;
  FileSettings& out_;
  std::vector<std::string> candidates_;
  std::map<std::string, std::string> first_set_;
};

}  // namespace

FileSettings read_yaml_settings(std::string_view text, const std::string& display_name,
                                const Schema& schema) {
  FileSettings out;
  std::istringstream in{std::string(text)};
  TreeBuilder builder(display_name, out.problems);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const Abort&) {
    out.parsed = false;
    return out;
  } catch (const YAML::Exception& e) {
    out.problems.push_back({e.mark.is_null() ? display_name : builder.where(e.mark),
                            {},
                            "invalid YAML: " + e.msg,
                            {}});
    out.parsed = false;
    return out;
  }
  NodePtr root = builder.root();
  if (!root || root->kind == Node::Kind::null) return out;  // an empty file sets nothing
  if (root->kind != Node::Kind::mapping) {
    out.problems.push_back(
        {display_name + ":" + std::to_string(root->line) + ":" + std::to_string(root->column),
         {},
         "the file must hold a mapping of settings, not " + std::string(kind_text(root->kind)),
         {}});
    out.parsed = false;
    return out;
  }
  Flattener(display_name, schema, out).mapping(*root, "");
  return out;
}

}  // namespace eskit::runtime::config
