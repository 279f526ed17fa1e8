// The parsed form of a template, shared by the parser, the environment (which links includes)
// and the renderer. Offsets are 0-based bytes into the template's source.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eskit/template/template.hpp"

namespace eskit::tmpl::detail {

enum class Filter : std::uint8_t {
  snake,
  camel,
  pascal,
  kebab,
  upper,
  lower,
  screaming,
  join,
  default_value,
  length,
  quote,
  indent
};

enum class LoopField : std::uint8_t { index, index0, first, last, length };

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

struct Expr {
  enum class Kind : std::uint8_t {
    literal,
    path,    // a variable and keys below it: `command.fields`
    loop,    // `loop.index` and friends, read from the innermost for loop
    filter,  // operands: the input, then the arguments
    not_,
    and_,
    or_,
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    in,
    not_in,
    concat
  };

  Kind kind = Kind::literal;
  Filter filter = Filter::snake;
  LoopField loop_field = LoopField::index;
  // The expression's text is [begin, end); errors about the node point at `offset` (the
  // operator of an operation, the name of a filter).
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint32_t offset = 0;
  std::uint32_t depth = 1;  // of the tree below, bounded so evaluating it cannot overflow the stack
  Value literal;
  std::vector<std::string> path;
  std::vector<std::uint32_t> path_offsets;
  std::vector<ExprPtr> operands;
};

struct Node;
using Block = std::vector<Node>;

struct Branch {
  ExprPtr condition;
  Block body;
};

struct Node {
  enum class Kind : std::uint8_t { text, output, for_, if_, include, set };

  Kind kind = Kind::text;
  std::uint32_t offset = 0;  // the tag's first byte
  std::string text;          // text: the text; include: the indentation of a standalone tag
  ExprPtr expr;              // output; for: the list; set: the value
  std::string name;          // for: the loop variable; set: the variable; include: the template
  std::uint32_t name_offset = 0;
  std::vector<Branch> branches;  // if: each condition and its body; for: one, its body
  Block otherwise;               // the `else` of an if or a for
  TemplatePtr included;          // include: set by the environment
};

struct Body {
  Block nodes;
};

/// Parses `source`. Includes are left for the environment to resolve.
Expected<std::unique_ptr<Body>> parse(const std::string& name, const std::string& source);

/// An error at `offset` of `source`, with its line and column worked out.
Error make_error(const std::string& name, std::string_view source, std::size_t offset,
                 std::string message, std::string hint = {});

}  // namespace eskit::tmpl::detail
