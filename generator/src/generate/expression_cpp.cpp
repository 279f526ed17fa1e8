#include "expression_cpp.hpp"

#include <stdexcept>

#include "eskit/template/case.hpp"
#include "eskit/template/quote.hpp"

namespace eskit::generate {

namespace {

using model::BinaryOp;
using model::Expr;

/// A translated operand: its C++ and what the translation knows of its type.
struct Operand {
  std::string cpp;
  std::string enum_cpp;  // an enum value (or a list of them)
  bool is_word = false;  // a bare word not in scope: an enum value, once the other side says
  std::string word;
  bool atomic = true;     // needs no parentheses as an operand
  bool optional = false;  // a std::optional member

  static Operand atom(std::string cpp, std::string enum_cpp = {}, bool optional = false) {
    Operand o;
    o.cpp = std::move(cpp);
    o.enum_cpp = std::move(enum_cpp);
    o.optional = optional;
    return o;
  }
  static Operand compound(std::string cpp, std::string enum_cpp = {}) {
    Operand o = atom(std::move(cpp), std::move(enum_cpp));
    o.atomic = false;
    return o;
  }
  static Operand bare(std::string word) {
    Operand o;
    o.is_word = true;
    o.word = std::move(word);
    return o;
  }
};

class Translator {
 public:
  Translator(const model::Expression& e, const ExprScope& scope) : e_(e), scope_(scope) {}

  std::string top(const std::string& target_enum) {
    Operand o = enum_text(operand(*e_.tree), *e_.tree, target_enum);
    return value(o, target_enum);
  }

 private:
  [[noreturn]] void unsupported(const std::string& what) const {
    throw std::logic_error("cannot translate '" + e_.source + "' to C++: " + what);
  }

  const ExprSymbol* lookup(const std::vector<std::string>& path) const {
    if (path.size() == 1) {
      for (const auto& g : scope_.groups) {
        if (!g.bare) continue;
        for (const auto& s : g.symbols)
          if (s.name == path[0]) return &s;
      }
      return nullptr;
    }
    if (path.size() == 2) {
      for (const auto& g : scope_.groups) {
        if (g.prefix != path[0]) continue;
        for (const auto& s : g.symbols)
          if (s.name == path[1]) return &s;
      }
    }
    return nullptr;
  }

  /// The operand as a value: a bare word becomes an enumerator of `enum_cpp`, an optional is
  /// unwrapped (an empty one throws std::bad_optional_access, which a service answers 500).
  std::string value(const Operand& o, const std::string& enum_cpp) const {
    if (o.is_word) {
      if (enum_cpp.empty()) unsupported("'" + o.word + "' is no name in scope and no enum value");
      // An enum another context owns travels as its text.
      if (enum_cpp == "std::string") return tmpl::quote_cpp(o.word);
      return enum_cpp + "::k" + tmpl::to_case(o.word, tmpl::Case::pascal);
    }
    return o.optional ? o.cpp + ".value()" : o.cpp;
  }

  /// A string literal where an enum is wanted (`'CAUGHT'`) is that enum's value.
  static Operand enum_text(Operand o, const Expr& x, const std::string& enum_cpp) {
    if (enum_cpp.empty() || x.kind != Expr::Kind::literal_string) return o;
    return Operand::bare(x.text);
  }

  static std::string wrapped(const Operand& o, std::string cpp) {
    return o.atomic ? cpp : "(" + cpp + ")";
  }

  Operand operand(const Expr& x) {
    switch (x.kind) {
      case Expr::Kind::literal_int:
      case Expr::Kind::literal_float:
        return Operand::atom(x.text);
      case Expr::Kind::literal_string:
        return Operand::atom(tmpl::quote_cpp(x.text));
      case Expr::Kind::literal_bool:
        return Operand::atom(x.boolean ? "true" : "false");
      case Expr::Kind::literal_null:
        return Operand::atom("std::nullopt");
      case Expr::Kind::path: {
        if (const ExprSymbol* s = lookup(x.path))
          return Operand::atom(s->access, s->enum_cpp, s->optional);
        if (x.path.size() == 1) return Operand::bare(x.path[0]);
        unsupported("unknown name '" + x.path[0] + "." + x.path[1] + "'");
      }
      case Expr::Kind::call: {
        if (x.text == "now") return Operand::atom("eskit::runtime::text::now_iso8601()");
        if (x.text == "size" && x.operands.size() == 1) {
          Operand list = operand(*x.operands[0]);
          return Operand::atom("static_cast<std::int64_t>(" + value(list, "") + ".size())");
        }
        unsupported("the function '" + x.text + "'");
      }
      case Expr::Kind::unary: {
        Operand inner = operand(*x.operands[0]);
        const std::string v = value(inner, "");
        const std::string op = x.unary == model::UnaryOp::not_ ? "!" : "-";
        return Operand::atom(op + wrapped(inner, v));
      }
      case Expr::Kind::binary:
        return binary(x);
      case Expr::Kind::list:
        unsupported("a list outside 'in'");
    }
    unsupported("an unknown node");
  }

  Operand binary(const Expr& x) {
    Operand lhs = operand(*x.operands[0]);
    if (x.binary == BinaryOp::in || x.binary == BinaryOp::not_in) return membership(x, lhs);
    Operand rhs = enum_text(operand(*x.operands[1]), *x.operands[1], lhs.enum_cpp);
    lhs = enum_text(lhs, *x.operands[0], rhs.enum_cpp);
    const bool comparison = x.binary == BinaryOp::eq || x.binary == BinaryOp::ne;
    // `x == null` asks whether an optional holds a value.
    if (comparison && (rhs.cpp == "std::nullopt" || lhs.cpp == "std::nullopt")) {
      const Operand& member = rhs.cpp == "std::nullopt" ? lhs : rhs;
      std::string test = member.cpp + ".has_value()";
      return x.binary == BinaryOp::eq ? Operand::atom("!" + test) : Operand::atom(test);
    }
    const std::string lv = value(lhs, rhs.enum_cpp);
    const std::string rv = value(rhs, lhs.enum_cpp);
    return Operand::compound(wrapped(lhs, lv) + " " + cpp_operator(x.binary) + " " +
                             wrapped(rhs, rv));
  }

  Operand membership(const Expr& x, const Operand& element) {
    const Expr& list = *x.operands[1];
    std::string items;
    if (list.kind == Expr::Kind::list) {
      // A literal list: one comparison per item, as a person would write it.
      const std::string v = value(element, element.enum_cpp);
      std::string out;
      for (const auto& item : list.operands) {
        Operand o = enum_text(operand(*item), *item, element.enum_cpp);
        if (!out.empty()) out += x.binary == BinaryOp::in ? " || " : " && ";
        out += v + (x.binary == BinaryOp::in ? " == " : " != ") + value(o, element.enum_cpp);
      }
      if (out.empty()) return Operand::atom(x.binary == BinaryOp::in ? "false" : "true");
      return Operand::compound(out);
    }
    Operand container = operand(list);
    const std::string c = value(container, "");
    const std::string v = value(element, container.enum_cpp);
    const std::string found = "std::find(" + c + ".begin(), " + c + ".end(), " + v + ") ";
    return Operand::compound(found + (x.binary == BinaryOp::in ? "!= " : "== ") + c + ".end()");
  }

  static const char* cpp_operator(BinaryOp op) {
    switch (op) {
      case BinaryOp::or_:
        return "||";
      case BinaryOp::and_:
        return "&&";
      case BinaryOp::eq:
        return "==";
      case BinaryOp::ne:
        return "!=";
      case BinaryOp::lt:
        return "<";
      case BinaryOp::le:
        return "<=";
      case BinaryOp::gt:
        return ">";
      case BinaryOp::ge:
        return ">=";
      case BinaryOp::add:
        return "+";
      case BinaryOp::sub:
        return "-";
      case BinaryOp::mul:
        return "*";
      case BinaryOp::div:
        return "/";
      case BinaryOp::mod:
        return "%";
      case BinaryOp::in:
      case BinaryOp::not_in:
        break;
    }
    return "?";
  }

  const model::Expression& e_;
  const ExprScope& scope_;
};

}  // namespace

std::string expression_cpp(const model::Expression& e, const ExprScope& scope,
                           const std::string& target_enum) {
  return Translator(e, scope).top(target_enum);
}

}  // namespace eskit::generate
