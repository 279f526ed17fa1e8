// A YAML document as a small tree that keeps every node's position and rejects what
// yaml-cpp silently accepts: duplicate keys, non-scalar keys, runaway nesting and
// several documents in one file.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "eskit/model/diagnostic.hpp"

namespace eskit::model::yaml {

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
  enum class Kind { null, scalar, sequence, mapping };

  Kind kind = Kind::null;
  Location where;
  std::string value;    // scalar
  bool quoted = false;  // scalar written in quotes or as a block: never a name or a number
  bool block = false;   // scalar written as `|` or `>` block
  std::vector<NodePtr> items;                          // sequence
  std::vector<std::pair<NodePtr, NodePtr>> entries;    // mapping, in source order

  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_mapping() const { return kind == Kind::mapping; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_null() const { return kind == Kind::null; }
  /// The entry's value for `key`, or null if absent.
  const Node* get(std::string_view key) const;
};

/// The deepest nesting of mappings and sequences a model may use.
inline constexpr int max_depth = 64;

/// Parses `source`; reports YAML errors to `diagnostics` and returns null if the document
/// could not be read.
NodePtr parse(const std::shared_ptr<const SourceFile>& source, Diagnostics& diagnostics);

}  // namespace eskit::model::yaml
