// The small expression language of preconditions, field mappings and projections:
// `payAmount >= 5000 and status == CREATED`, `pickupLocation in config.serviceArea`.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace eskit::model {

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

enum class BinaryOp { or_, and_, eq, ne, lt, le, gt, ge, in, not_in, add, sub, mul, div, mod };
enum class UnaryOp { not_, neg };

/// One node of an expression tree. Offsets are 0-based bytes into the expression text:
/// `offset` is where a diagnostic about the node points (an operator, for operations),
/// `begin` the node's first byte.
struct Expr {
  enum class Kind {
    literal_int,
    literal_float,
    literal_string,
    literal_bool,
    literal_null,
    list,
    path,
    call,
    unary,
    binary
  };

  Kind kind = Kind::literal_null;
  std::size_t offset = 0;
  std::size_t begin = 0;
  std::string text;               // literal_string value, literal number spelling, call name
  bool boolean = false;           // literal_bool
  std::vector<std::string> path;  // path: `input.amount` -> {"input", "amount"}
  UnaryOp unary = UnaryOp::not_;
  BinaryOp binary = BinaryOp::eq;
  std::vector<ExprPtr> operands;  // list items, call arguments, unary/binary operands
};

/// The operator as written in the language (`and`, `==`, `not in`, ...).
const char* spelling(BinaryOp op);

/// Parses an expression. On failure returns nullopt and sets `error_column` (0-based offset)
/// and `error_message`.
std::optional<ExprPtr> parse_expression(const std::string& text, std::size_t& error_column,
                                        std::string& error_message);

/// Parses a duration such as `680ms`, `5s`, `2m` or `1h` into milliseconds.
std::optional<long long> parse_duration_ms(const std::string& text);

}  // namespace eskit::model
