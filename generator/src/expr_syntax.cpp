// The expression grammar, on Boost.Spirit X3. Kept to this one translation unit: X3 is
// header-heavy and nothing else needs it.
#include <boost/spirit/home/x3.hpp>
#include <cctype>
#include <cstring>

#include "eskit/model/expr.hpp"

namespace eskit::model {

namespace x3 = boost::spirit::x3;

namespace {

using Iterator = std::string::const_iterator;
// Nodes are built mutable (their positions are filled in as rules succeed) and handed out
// as `ExprPtr` (const) once parsing is done.
using Node = std::shared_ptr<Expr>;
constexpr std::size_t unset = static_cast<std::size_t>(-1);

struct text_begin_tag;

template <typename Context>
Iterator text_begin(const Context& ctx) {
  return x3::get<text_begin_tag>(ctx).get();
}

Node make(Expr::Kind kind) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->offset = unset;
  e->begin = unset;
  return e;
}

// Positions come from x3::raw, which reports the matched range after skipping blanks
// (an action's _where is the rest of the input, and rule on_success handlers do not see
// attributes that actions build).
template <typename Context, typename Range>
std::size_t offset_of(const Context& ctx, const Range& range) {
  return static_cast<std::size_t>(range.begin() - text_begin(ctx));
}

// `raw[p]` as a parser whose attribute is the matched range even inside a sequence.
using Range = boost::iterator_range<Iterator>;
template <typename Subject>
auto located(const Subject& subject) {
  return x3::rule<Subject, Range>{"a token"} = x3::raw[subject];
}

// A keyword is a whole word: `android` is a name, not `and` followed by `roid`.
auto keyword(const char* word) { return x3::lexeme[x3::lit(word) >> !(x3::alnum | '_')]; }

const auto reserved = keyword("and") | keyword("or") | keyword("not") | keyword("in") |
                      keyword("true") | keyword("false") | keyword("null");

const auto name = x3::rule<class name_tag, std::string>{"name"} =
    x3::lexeme[!reserved >> (x3::alpha | x3::char_('_')) >> *(x3::alnum | x3::char_('_'))];

const auto quoted = x3::rule<class quoted_tag, std::string>{"string"} =
    x3::lexeme['\'' > *(('\\' > x3::char_) | ~x3::char_('\'')) > '\''] |
    x3::lexeme['"' > *(('\\' > x3::char_) | ~x3::char_('"')) > '"'];

// Each parenthesis, bracket, `not` and `-` is a recursion of the grammar: a few thousand of
// them exhaust the stack (found by fuzzing). Far more than a model means, far less than the
// stack holds.
constexpr int max_levels = 64;
// A level of parentheses enters the `not` and `-` rules once each; the whole expression is one.
constexpr int max_nesting = 2 * (max_levels + 1);
struct nesting_tag;
struct too_deep {
  Iterator where;
};

// `nested[p]`: p, one level deeper; past max_nesting, too_deep instead.
template <typename Subject>
struct nested_directive : x3::unary_parser<Subject, nested_directive<Subject>> {
  using base_type = x3::unary_parser<Subject, nested_directive<Subject>>;
  static constexpr bool is_pass_through_unary = true;
  constexpr explicit nested_directive(const Subject& inner) : base_type(inner) {}

  template <typename It, typename Context, typename RContext, typename Attribute>
  bool parse(It& first, const It& last, const Context& context, RContext& rcontext,
             Attribute& attr) const {
    int& depth = x3::get<nesting_tag>(context).get();
    if (depth >= max_nesting) throw too_deep{first};
    struct Level {
      int& depth;
      explicit Level(int& d) : depth(++d) {}
      ~Level() { --depth; }
      Level(const Level&) = delete;
      Level& operator=(const Level&) = delete;
    } level(depth);
    return this->subject.parse(first, last, context, rcontext, attr);
  }
};

struct nested_generator {
  template <typename Subject>
  constexpr auto operator[](const Subject& subject) const {
    return nested_directive<typename x3::extension::as_parser<Subject>::value_type>(
        x3::as_parser(subject));
  }
};
constexpr nested_generator nested{};

x3::rule<class expr_tag, Node> const expression = "expression";
x3::rule<class or_tag, Node> const disjunction = "expression";
x3::rule<class and_tag, Node> const conjunction = "expression";
x3::rule<class not_tag, Node> const negation = "expression";
x3::rule<class cmp_tag, Node> const comparison = "expression";
x3::rule<class sum_tag, Node> const sum = "expression";
x3::rule<class product_tag, Node> const product = "expression";
x3::rule<class unary_tag, Node> const unary = "expression";
x3::rule<class primary_tag, Node> const primary = "a value";
x3::rule<class args_tag, std::vector<Node>> const arguments = "arguments";

auto const assign = [](auto& ctx) { x3::_val(ctx) = x3::_attr(ctx); };

// Attributes of `raw[op] > operand`: the operator's range and the operand.
template <BinaryOp Op>
struct fold_binary {
  template <typename Context>
  void operator()(Context& ctx) const {
    auto& attr = x3::_attr(ctx);
    Node e = make(Expr::Kind::binary);
    e->binary = Op;
    e->offset = offset_of(ctx, boost::fusion::at_c<0>(attr));
    e->begin = x3::_val(ctx)->begin;
    e->operands = {x3::_val(ctx), boost::fusion::at_c<1>(attr)};
    x3::_val(ctx) = std::move(e);
  }
};

template <UnaryOp Op>
struct make_unary {
  template <typename Context>
  void operator()(Context& ctx) const {
    auto& attr = x3::_attr(ctx);
    Node e = make(Expr::Kind::unary);
    e->unary = Op;
    e->offset = e->begin = offset_of(ctx, boost::fusion::at_c<0>(attr));
    e->operands = {boost::fusion::at_c<1>(attr)};
    x3::_val(ctx) = std::move(e);
  }
};

// A literal's node from its raw text: numbers and words as written, strings unquoted.
template <Expr::Kind Kind>
struct make_literal {
  template <typename Context>
  void operator()(Context& ctx) const {
    auto& range = x3::_attr(ctx);
    Node e = make(Kind);
    e->offset = e->begin = offset_of(ctx, range);
    std::string raw(range.begin(), range.end());
    if constexpr (Kind == Expr::Kind::literal_string) {
      for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 2 < raw.size()) ++i;
        e->text += raw[i];
      }
    } else if constexpr (Kind == Expr::Kind::literal_bool) {
      e->boolean = raw == "true";
    } else if constexpr (Kind != Expr::Kind::literal_null) {
      e->text = std::move(raw);
    }
    x3::_val(ctx) = std::move(e);
  }
};

auto const make_list = [](auto& ctx) {
  auto& attr = x3::_attr(ctx);
  Node e = make(Expr::Kind::list);
  e->offset = e->begin = offset_of(ctx, boost::fusion::at_c<0>(attr));
  if (auto& items = boost::fusion::at_c<1>(attr)) e->operands.assign(items->begin(), items->end());
  x3::_val(ctx) = std::move(e);
};

// `name(args)` is a call; `a.b.c` a path. Blanks around the dots are allowed and dropped.
auto const make_reference = [](auto& ctx) {
  auto& attr = x3::_attr(ctx);
  auto& range = boost::fusion::at_c<0>(attr);
  auto& call_args = boost::fusion::at_c<1>(attr);
  Node e = make(call_args ? Expr::Kind::call : Expr::Kind::path);
  e->offset = e->begin = offset_of(ctx, range);
  std::vector<std::string> names(1);
  for (char ch : std::string(range.begin(), range.end())) {
    if (ch == '.') {
      names.emplace_back();
    } else if (!std::isspace(static_cast<unsigned char>(ch))) {
      names.back() += ch;
    }
  }
  if (call_args) {
    for (std::size_t i = 0; i < names.size(); ++i) e->text += (i ? "." : "") + names[i];
    e->operands.assign(call_args->begin(), call_args->end());
  } else {
    e->path = std::move(names);
  }
  x3::_val(ctx) = std::move(e);
};

// `( x )` keeps x's node; its first byte becomes the parenthesis.
auto const make_parenthesized = [](auto& ctx) {
  auto& attr = x3::_attr(ctx);
  Node inner = boost::fusion::at_c<1>(attr);
  inner->begin = offset_of(ctx, boost::fusion::at_c<0>(attr));
  x3::_val(ctx) = std::move(inner);
};

auto const expression_def = disjunction[assign];

auto const disjunction_def = conjunction[assign] >>
                             *(located(keyword("or")) > conjunction)[fold_binary<BinaryOp::or_>{}];

auto const conjunction_def = negation[assign] >>
                             *(located(keyword("and")) > negation)[fold_binary<BinaryOp::and_>{}];

auto const negation_def =
    nested[((located(keyword("not")) >> !keyword("in")) > negation)[make_unary<UnaryOp::not_>{}] |
           comparison[assign]];

auto const comparison_def = sum[assign] >>
                            -((located(x3::lit("==")) > sum)[fold_binary<BinaryOp::eq>{}] |
                              (located(x3::lit("!=")) > sum)[fold_binary<BinaryOp::ne>{}] |
                              (located(x3::lit("<=")) > sum)[fold_binary<BinaryOp::le>{}] |
                              (located(x3::lit(">=")) > sum)[fold_binary<BinaryOp::ge>{}] |
                              (located(x3::lit('<')) > sum)[fold_binary<BinaryOp::lt>{}] |
                              (located(x3::lit('>')) > sum)[fold_binary<BinaryOp::gt>{}] |
                              (located(keyword("in")) > sum)[fold_binary<BinaryOp::in>{}] |
                              (located(keyword("not") >> keyword("in")) >
                               sum)[fold_binary<BinaryOp::not_in>{}]);

auto const sum_def = product[assign] >>
                     *((located(x3::lit('+')) > product)[fold_binary<BinaryOp::add>{}] |
                       (located(x3::lit('-')) > product)[fold_binary<BinaryOp::sub>{}]);

auto const product_def = unary[assign] >>
                         *((located(x3::lit('*')) > unary)[fold_binary<BinaryOp::mul>{}] |
                           (located(x3::lit('/')) > unary)[fold_binary<BinaryOp::div>{}] |
                           (located(x3::lit('%')) > unary)[fold_binary<BinaryOp::mod>{}]);

auto const unary_def =
    nested[(located(x3::lit('-')) > unary)[make_unary<UnaryOp::neg>{}] | primary[assign]];

auto const arguments_def = '(' > -(expression % ',') > ')';

auto const primary_def =
    located(
        x3::lexeme[+x3::digit >> '.' >> +x3::digit])[make_literal<Expr::Kind::literal_float>{}] |
    located(x3::lexeme[+x3::digit >> !(x3::alpha | '_')])[make_literal<Expr::Kind::literal_int>{}] |
    located(quoted)[make_literal<Expr::Kind::literal_string>{}] |
    located(keyword("true") | keyword("false"))[make_literal<Expr::Kind::literal_bool>{}] |
    located(keyword("null"))[make_literal<Expr::Kind::literal_null>{}] |
    (located(x3::lit('[')) > -(expression % ',') > ']')[make_list] |
    (located(name % '.') >> -arguments)[make_reference] |
    (located(x3::lit('(')) > expression > ')')[make_parenthesized];

BOOST_SPIRIT_DEFINE(expression, disjunction, conjunction, negation, comparison, sum, product, unary,
                    primary, arguments)

std::string describe_next(Iterator at, Iterator end) {
  if (at == end) return "the end of the expression";
  std::string word;
  for (Iterator i = at; i != end && word.size() < 12 && *i != ' '; ++i) word += *i;
  return "'" + word + "'";
}

Iterator skip_blanks(Iterator at, Iterator end) {
  while (at != end && std::isspace(static_cast<unsigned char>(*at))) ++at;
  return at;
}

}  // namespace

std::optional<ExprPtr> parse_expression(const std::string& text, std::size_t& error_column,
                                        std::string& error_message) {
  Iterator begin = text.begin();
  Iterator first = begin;
  Node result;
  int nesting = 0;
  auto const parser = x3::with<text_begin_tag>(
      std::ref(begin))[x3::with<nesting_tag>(std::ref(nesting))[expression]];
  try {
    bool ok = x3::phrase_parse(first, text.end(), parser, x3::space, result);
    if (ok && first == text.end()) return ExprPtr(std::move(result));
    first = skip_blanks(first, text.end());
    error_column = static_cast<std::size_t>(first - begin);
    error_message = ok ? "unexpected " + describe_next(first, text.end()) + " in expression"
                       : "expected an expression";
  } catch (const too_deep& e) {
    error_column = static_cast<std::size_t>(e.where - begin);
    error_message = "the expression nests deeper than " + std::to_string(max_levels) +
                    " levels of parentheses, brackets, 'not' and '-'";
  } catch (const x3::expectation_failure<Iterator>& e) {
    Iterator at = skip_blanks(e.where(), text.end());
    error_column = static_cast<std::size_t>(at - begin);
    error_message = "expected " + e.which() + " but found " + describe_next(at, text.end());
    if (e.which() == "'''" || e.which() == "'\"'") {
      // A missing closing quote: point at the quote that opened the text.
      char quote = e.which()[1];
      auto open = text.rfind(quote, static_cast<std::size_t>(e.where() - begin) - 1);
      if (open != std::string::npos) error_column = open;
      error_message = std::string("text opened with ") + quote + " is never closed";
    }
  }
  return std::nullopt;
}

const char* spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::or_:
      return "or";
    case BinaryOp::and_:
      return "and";
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
    case BinaryOp::in:
      return "in";
    case BinaryOp::not_in:
      return "not in";
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
  }
  return "?";
}

}  // namespace eskit::model
