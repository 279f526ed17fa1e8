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
  std::string value;           // scalar
  bool quoted = false;         // scalar written in quotes or as a block: never a name or a number
  bool block = false;          // scalar written as `|` or `>` block
  std::vector<NodePtr> items;  // sequence
  std::vector<std::pair<NodePtr, NodePtr>> entries;  // mapping, in source order

  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_mapping() const { return kind == Kind::mapping; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_null() const { return kind == Kind::null; }
  /// The entry's value for `key`, or null if absent.
  const Node* get(std::string_view key) const;
};

/// The deepest nesting of mappings and sequences a model may use.
inline constexpr int max_depth = 64;

/// Models at least this large have their contexts parsed in parallel (see parse()).
inline constexpr std::size_t parallel_parse_bytes = 256u << 10;

/// Parses `source`; reports YAML errors to `diagnostics` and returns null if the document
/// could not be read. yaml-cpp reads 4 to 8 MB/s, so a large model whose `contexts:` is a
/// plain block mapping (no anchors, aliases, directives or tab indentation) is cut at its
/// context entries and the pieces are parsed on all cores; positions and diagnostics are
/// those of the whole file. `split_from_bytes` lowers the size at which this happens (tests).
NodePtr parse(const std::shared_ptr<const SourceFile>& source, Diagnostics& diagnostics,
              std::size_t split_from_bytes = parallel_parse_bytes);

}  // namespace eskit::model::yaml
