// The template grammar, on Boost.Spirit X3 (the only file of the template library that includes
// it). Parsing runs in three steps: X3 reads the text into a flat list of tokens (text, tags and
// their expressions); whitespace control trims the text around tags; the tokens are then nested
// into blocks, which is where an unclosed `for` or a stray `endif` is found.
#include <algorithm>
#include <boost/spirit/home/x3.hpp>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>

#include "ast.hpp"
#include "eskit/runtime/text/did_you_mean.hpp"
#include "filters.hpp"

namespace eskit::tmpl::detail {

namespace x3 = boost::spirit::x3;

namespace {

using Iterator = const char*;
using Range = boost::iterator_range<Iterator>;
// Expression nodes are built mutable (operands are added as rules succeed) and handed out as
// ExprPtr (const) once parsing is done.
using MutableExpr = std::shared_ptr<Expr>;

struct Token {
  enum class Kind : std::uint8_t {
    text,
    output,
    comment,
    for_,
    else_,
    endfor,
    if_,
    elif,
    endif,
    include,
    set,
    raw,
    endraw
  };

  Kind kind = Kind::text;
  std::uint32_t begin = 0;  // text: the text; a tag: from `{%` to `%}`
  std::uint32_t end = 0;
  bool strip_before = false;  // `{%-`
  bool strip_after = false;   // `-%}`
  MutableExpr expr;
  std::string name;
  std::uint32_t name_offset = 0;
  std::string indent;  // the leading blanks of a standalone include's line
};

// An error found by a semantic action; the grammar carries on so that a syntax error earlier in
// the text is reported first.
struct Problem {
  std::size_t offset;
  std::string message;
  std::string hint;
};

struct Sink {
  Iterator begin;
  int depth = 0;  // of the expression rules being parsed
  std::vector<Token> tokens;
  Token tag;  // the tag being read
  std::uint32_t raw_begin = 0;
  std::uint32_t quote_begin = 0;
  std::vector<Problem> problems;
};

struct sink_tag;

template <typename Context>
Sink& sink(const Context& ctx) {
  return x3::get<sink_tag>(ctx).get();
}

template <typename Context>
std::uint32_t offset_of(const Context& ctx, Iterator at) {
  return static_cast<std::uint32_t>(at - sink(ctx).begin);
}

std::string_view text_of(const Range& range) {
  return {range.begin(), static_cast<std::size_t>(range.end() - range.begin())};
}

// Positions come from x3::raw (an action's _where is the rest of the input): a rule whose
// attribute is the matched range, even inside a sequence. The name is what an expectation
// failure says was expected.
template <typename Subject>
auto located(const char* what, const Subject& subject) {
  return x3::rule<Subject, Range>{what} = x3::raw[subject];
}

// A keyword is a whole word: `index` is a name, not `in` followed by `dex`.
auto keyword(const char* word) { return x3::lexeme[x3::lit(word) >> !(x3::alnum | '_')]; }

template <typename Subject>
auto named(const char* what, const Subject& subject) {
  return x3::rule<Subject>{what} = subject;
}

const auto reserved = keyword("and") | keyword("or") | keyword("not") | keyword("in") |
                      keyword("true") | keyword("false") | keyword("null");

const auto identifier = x3::lexeme[(x3::alpha | '_') >> *(x3::alnum | '_')];

const auto variable_name = x3::rule<class name_tag>{"a name"} = x3::lexeme[!reserved >> identifier];

// A key after a dot may be any identifier: `type.in` reads a key called "in".
const auto path_syntax = x3::rule<class path_tag>{"a name"} =
    x3::lexeme[!reserved >> identifier >> *('.' > named("a name after '.'", identifier))];

auto const mark_quote = [](auto& ctx) {
  sink(ctx).quote_begin = offset_of(ctx, x3::_attr(ctx).begin());
};

// Strings stay on one line, so a missing closing quote is noticed on the line of the opening
// one, which the error then points at.
const auto quoted = x3::rule<class quoted_tag>{"a string"} =
    x3::lexeme[located("'\"'", x3::lit('"'))[mark_quote] >
               *(('\\' >> ~x3::char_('\n')) | ~x3::char_("\"\n")) > '"'] |
    x3::lexeme[located("'''", x3::lit('\''))[mark_quote] >
               *(('\\' >> ~x3::char_('\n')) | ~x3::char_("'\n")) > '\''];

std::string unquote(std::string_view raw) {
  std::string text;
  for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && i + 2 < raw.size()) {
      c = raw[++i];
      c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
    }
    text += c;
  }
  return text;
}

// Templates are trusted but not always careful: expressions and blocks nest at most this deep,
// so neither the recursive descent nor the renderer can run out of stack.
constexpr int max_depth = 64;
constexpr const char* too_deep = "a shallower expression";

// Counts the expression rules being parsed, which recurse through it.
template <typename Subject>
struct nesting_guard : x3::unary_parser<Subject, nesting_guard<Subject>> {
  static bool const is_pass_through_unary = true;
  constexpr explicit nesting_guard(const Subject& inner)
      : x3::unary_parser<Subject, nesting_guard<Subject>>(inner) {}

  template <typename It, typename Context, typename RContext, typename Attribute>
  bool parse(It& first, const It& last, const Context& ctx, RContext& rctx, Attribute& attr) const {
    int& depth = sink(ctx).depth;
    if (depth == max_depth) throw x3::expectation_failure<It>(first, too_deep);
    ++depth;
    bool ok = this->subject.parse(first, last, ctx, rctx, attr);
    --depth;
    return ok;
  }
};

template <typename Subject>
auto guarded(const Subject& subject) {
  using Parser = std::decay_t<decltype(x3::as_parser(subject))>;
  return nesting_guard<Parser>(x3::as_parser(subject));
}

// Long chains (`a ~ b ~ c ...`) make deep trees without recursing while parsing.
void check_depth(const Expr& e, Iterator at) {
  if (e.depth > static_cast<std::uint32_t>(max_depth)) {
    throw x3::expectation_failure<Iterator>(at, too_deep);
  }
}

MutableExpr make(Expr::Kind kind, std::uint32_t begin, std::uint32_t end) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->begin = e->offset = begin;
  e->end = end;
  return e;
}

x3::rule<class expression_tag, MutableExpr> const expression = "an expression";
x3::rule<class or_tag, MutableExpr> const disjunction = "an expression";
x3::rule<class and_tag, MutableExpr> const conjunction = "an expression";
x3::rule<class not_tag, MutableExpr> const negation = "an expression";
x3::rule<class comparison_tag, MutableExpr> const comparison = "an expression";
x3::rule<class concat_tag, MutableExpr> const concatenation = "an expression";
x3::rule<class filtered_tag, MutableExpr> const filtered = "an expression";
x3::rule<class primary_tag, MutableExpr> const primary = "an expression";
x3::rule<class filter_call_tag, MutableExpr> const filter_call = "a filter name";

auto const assign = [](auto& ctx) { x3::_val(ctx) = x3::_attr(ctx); };

// Attributes of `raw[op] > operand`: the operator's range and the right operand.
template <Expr::Kind Kind>
struct fold_binary {
  template <typename Context>
  void operator()(Context& ctx) const {
    auto& attr = x3::_attr(ctx);
    const MutableExpr& left = x3::_val(ctx);
    const MutableExpr& right = boost::fusion::at_c<1>(attr);
    MutableExpr e = make(Kind, left->begin, right->end);
    e->offset = offset_of(ctx, boost::fusion::at_c<0>(attr).begin());
    e->depth = 1 + std::max(left->depth, right->depth);
    check_depth(*e, boost::fusion::at_c<0>(attr).begin());
    e->operands = {left, right};
    x3::_val(ctx) = std::move(e);
  }
};

auto const make_not = [](auto& ctx) {
  auto& attr = x3::_attr(ctx);
  const MutableExpr& operand = boost::fusion::at_c<1>(attr);
  MutableExpr e =
      make(Expr::Kind::not_, offset_of(ctx, boost::fusion::at_c<0>(attr).begin()), operand->end);
  e->depth = 1 + operand->depth;
  e->operands = {operand};
  x3::_val(ctx) = std::move(e);
};

template <typename Context>
MutableExpr make_literal(Context& ctx, const Range& range, Value value) {
  MutableExpr e =
      make(Expr::Kind::literal, offset_of(ctx, range.begin()), offset_of(ctx, range.end()));
  e->literal = std::move(value);
  return e;
}

auto const make_string = [](auto& ctx) {
  auto& range = x3::_attr(ctx);
  x3::_val(ctx) = make_literal(ctx, range, unquote(text_of(range)));
};

auto const make_integer = [](auto& ctx) {
  auto& range = x3::_attr(ctx);
  std::int64_t number = 0;
  if (std::from_chars(range.begin(), range.end(), number).ec != std::errc()) {
    sink(ctx).problems.push_back({offset_of(ctx, range.begin()),
                                  "integer '" + std::string(text_of(range)) + "' is too large",
                                  ""});
  }
  x3::_val(ctx) = make_literal(ctx, range, number);
};

auto const make_bool = [](auto& ctx) {
  auto& range = x3::_attr(ctx);
  x3::_val(ctx) = make_literal(ctx, range, text_of(range) == "true");
};

auto const make_null = [](auto& ctx) { x3::_val(ctx) = make_literal(ctx, x3::_attr(ctx), {}); };

constexpr std::string_view loop_fields[] = {"index", "index0", "first", "last", "length"};

std::vector<std::string> loop_field_names() {
  return {std::begin(loop_fields), std::end(loop_fields)};
}

// `a.b.c` is a path; `loop.index` reads the innermost loop, and `loop` alone is a mistake.
auto const make_path = [](auto& ctx) {
  auto& range = x3::_attr(ctx);
  std::uint32_t begin = offset_of(ctx, range.begin());
  MutableExpr e = make(Expr::Kind::path, begin, offset_of(ctx, range.end()));
  std::string_view text = text_of(range);
  for (std::size_t start = 0;;) {
    std::size_t dot = text.find('.', start);
    e->path.emplace_back(text.substr(start, dot - start));
    e->path_offsets.push_back(begin + static_cast<std::uint32_t>(start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (e->path[0] == "loop") {
    auto& problems = sink(ctx).problems;
    if (e->path.size() == 1) {
      problems.push_back({begin, "'loop' is not a value; use one of its fields",
                          "loop.index, loop.index0, loop.first, loop.last, loop.length"});
    } else {
      auto field = std::find(std::begin(loop_fields), std::end(loop_fields), e->path[1]);
      if (field == std::end(loop_fields)) {
        problems.push_back({e->path_offsets[1], "'loop' has no field '" + e->path[1] + "'",
                            runtime::text::did_you_mean(e->path[1], loop_field_names())});
      } else if (e->path.size() > 2) {
        problems.push_back({e->path_offsets[2], "'loop." + e->path[1] + "' has no keys", ""});
      } else {
        e->kind = Expr::Kind::loop;
        e->loop_field = static_cast<LoopField>(field - std::begin(loop_fields));
      }
    }
  }
  x3::_val(ctx) = std::move(e);
};

// `( x )` keeps x's node, widened to the parentheses so messages quote them.
auto const make_parenthesized = [](auto& ctx) {
  auto& attr = x3::_attr(ctx);
  MutableExpr inner = boost::fusion::at_c<1>(attr);
  inner->begin = offset_of(ctx, boost::fusion::at_c<0>(attr).begin());
  inner->end = offset_of(ctx, boost::fusion::at_c<2>(attr).end());
  x3::_val(ctx) = std::move(inner);
};

auto const start_filter = [](auto& ctx) {
  auto& range = x3::_attr(ctx);
  std::uint32_t at = offset_of(ctx, range.begin());
  MutableExpr e = make(Expr::Kind::filter, at, offset_of(ctx, range.end()));
  std::string_view filter_name = text_of(range);
  if (const FilterSpec* found = find_filter(filter_name)) {
    e->filter = found->filter;
  } else {
    sink(ctx).problems.push_back({at, "unknown filter '" + std::string(filter_name) + "'",
                                  runtime::text::did_you_mean(filter_name, filter_names())});
  }
  x3::_val(ctx) = std::move(e);
};

// Attributes of `'(' > -(expression % ',') > raw[')']`: the arguments, the closing parenthesis.
auto const add_arguments = [](auto& ctx) {
  auto& attr = x3::_attr(ctx);
  auto& arguments = boost::fusion::at_c<0>(attr);
  if (arguments) {
    for (const MutableExpr& argument : *arguments) {
      x3::_val(ctx)->depth = std::max(x3::_val(ctx)->depth, 1 + argument->depth);
    }
    x3::_val(ctx)->operands.assign(arguments->begin(), arguments->end());
  }
  x3::_val(ctx)->end = offset_of(ctx, boost::fusion::at_c<1>(attr).end());
};

// The filter node gets its input as the first operand; arities are checked here, once the
// arguments are known.
auto const apply_filter = [](auto& ctx) {
  auto& attr = x3::_attr(ctx);
  MutableExpr filter = boost::fusion::at_c<1>(attr);
  const FilterSpec& s = spec(filter->filter);
  std::size_t count = filter->operands.size();
  auto& problems = sink(ctx).problems;
  // An unknown filter has had its problem reported already, at the same place.
  bool unknown = std::any_of(problems.begin(), problems.end(),
                             [&](const Problem& p) { return p.offset == filter->offset; });
  if (!unknown && (count < s.min_args || count > s.max_args)) {
    std::string expected = s.min_args == s.max_args
                               ? std::to_string(s.min_args)
                               : std::to_string(s.min_args) + " or " + std::to_string(s.max_args);
    problems.push_back({filter->offset,
                        "filter '" + std::string(s.name) + "' takes " + expected +
                            (s.min_args == 1 && s.max_args == 1 ? " argument" : " arguments") +
                            ", not " + std::to_string(count),
                        ""});
  }
  filter->operands.insert(filter->operands.begin(), x3::_val(ctx));
  filter->begin = x3::_val(ctx)->begin;
  filter->depth = std::max(filter->depth, 1 + x3::_val(ctx)->depth);
  check_depth(*filter, boost::fusion::at_c<0>(attr).begin());
  x3::_val(ctx) = std::move(filter);
};

auto const expression_def = guarded(disjunction[assign]);

auto const disjunction_def = conjunction[assign] >> *(located("'or'", keyword("or")) >
                                                      conjunction)[fold_binary<Expr::Kind::or_>{}];

auto const conjunction_def = negation[assign] >> *(located("'and'", keyword("and")) >
                                                   negation)[fold_binary<Expr::Kind::and_>{}];

auto const negation_def =
    guarded((located("'not'", keyword("not")) > negation)[make_not] | comparison[assign]);

template <Expr::Kind Kind, typename Operator>
auto compare(const char* what, const Operator& op) {
  return (located(what, op) > concatenation)[fold_binary<Kind>{}];
}

auto const comparison_def = concatenation[assign] >>
                            -(compare<Expr::Kind::eq>("'=='", x3::lit("==")) |
                              compare<Expr::Kind::ne>("'!='", x3::lit("!=")) |
                              compare<Expr::Kind::le>("'<='", x3::lit("<=")) |
                              compare<Expr::Kind::ge>("'>='", x3::lit(">=")) |
                              compare<Expr::Kind::lt>("'<'", x3::lit('<')) |
                              compare<Expr::Kind::gt>("'>'", x3::lit('>')) |
                              compare<Expr::Kind::in>("'in'", keyword("in")) |
                              compare<Expr::Kind::not_in>("'not in'",
                                                          keyword("not") >> keyword("in")));

auto const concatenation_def = filtered[assign] >> *(located("'~'", x3::lit('~')) >
                                                     filtered)[fold_binary<Expr::Kind::concat>{}];

auto const filtered_def = primary[assign] >>
                          *(located("'|'", x3::lit('|')) > filter_call)[apply_filter];

auto const filter_call_def = located("a filter name", x3::lexeme[identifier])[start_filter] >>
                             -('(' > -(expression % ',') >
                               located("')'", x3::lit(')')))[add_arguments];

auto const primary_def =
    located("a string", quoted)[make_string] |
    located("a number", x3::lexeme[+x3::digit >> !(x3::alpha | '_')])[make_integer] |
    located("a value", keyword("true") | keyword("false"))[make_bool] |
    located("a value", keyword("null"))[make_null] | located("a name", path_syntax)[make_path] |
    (located("'('", x3::lit('(')) > expression > located("')'", x3::lit(')')))[make_parenthesized];

BOOST_SPIRIT_DEFINE(expression, disjunction, conjunction, negation, comparison, concatenation,
                    filtered, filter_call, primary)

// Tags. Actions fill in sink.tag as its parts are read; the closing delimiter pushes it.

template <Token::Kind Kind>
struct begin_tag {
  template <typename Context>
  void operator()(Context& ctx) const {
    auto& range = x3::_attr(ctx);
    Sink& s = sink(ctx);
    s.tag = Token{};
    s.tag.kind = Kind;
    s.tag.begin = offset_of(ctx, range.begin());
    s.tag.strip_before = text_of(range).size() == 3;
  }
};

template <Token::Kind Kind>
struct set_kind {
  template <typename Context>
  void operator()(Context& ctx) const {
    sink(ctx).tag.kind = Kind;
  }
};

auto const end_tag = [](auto& ctx) {
  auto& range = x3::_attr(ctx);
  Sink& s = sink(ctx);
  s.tag.end = offset_of(ctx, range.end());
  s.tag.strip_after = text_of(range).front() == '-';
  s.tokens.push_back(std::move(s.tag));
};

auto const set_expr = [](auto& ctx) { sink(ctx).tag.expr = x3::_attr(ctx); };

auto const set_variable = [](auto& ctx) {
  auto& range = x3::_attr(ctx);
  Sink& s = sink(ctx);
  s.tag.name = text_of(range);
  s.tag.name_offset = offset_of(ctx, range.begin());
  if (s.tag.name == "loop") {
    s.problems.push_back(
        {s.tag.name_offset, "'loop' is reserved for the state of a for loop", "use another name"});
  }
};

auto const set_include = [](auto& ctx) {
  auto& range = x3::_attr(ctx);
  Sink& s = sink(ctx);
  s.tag.name = unquote(text_of(range));
  s.tag.name_offset = offset_of(ctx, range.begin());
};

auto const mark_raw = [](auto& ctx) {
  Sink& s = sink(ctx);
  s.tag.kind = Token::Kind::raw;
  s.raw_begin = s.tag.begin;
};

auto const push_text = [](auto& ctx) {
  auto& range = x3::_attr(ctx);
  Token t;
  t.begin = offset_of(ctx, range.begin());
  t.end = offset_of(ctx, range.end());
  sink(ctx).tokens.push_back(std::move(t));
};

auto const end_comment = [](auto& ctx) {
  auto& range = x3::_attr(ctx);
  Sink& s = sink(ctx);
  s.tag.end = offset_of(ctx, range.end());
  s.tag.strip_after = text_of(range).ends_with("-#}");
  s.tokens.push_back(std::move(s.tag));
};

const auto open_output =
    located("'{{'", x3::lit("{{") >> -x3::lit('-'))[begin_tag<Token::Kind::output>{}];
const auto close_output = located("'}}'", x3::lit("-}}") | x3::lit("}}"));
const auto open_statement =
    located("'{%'", x3::lit("{%") >> -x3::lit('-'))[begin_tag<Token::Kind::text>{}];
const auto close_statement = located("'%}'", x3::lit("-%}") | x3::lit("%}"));
const auto open_comment =
    located("'{#'", x3::lit("{#") >> -x3::lit('-'))[begin_tag<Token::Kind::comment>{}];
const auto comment_rest =
    located("'#}'", *(x3::char_ - (x3::lit("-#}") | "#}")) >> (x3::lit("-#}") | "#}"));

// Expectation failures name what was expected with x3::what, which knows the names of rules
// only: hence a named rule around each expected part that has an action.
const auto output_tag =
    open_output >
    named("an expression",
          x3::skip(x3::space)[expression[set_expr] > named("'}}'", close_output[end_tag])]);

const auto loop_variable = located("a loop variable", variable_name);
const auto variable = located("a variable name", variable_name);

const auto statement_body = x3::rule<class statement_body_tag>{"a tag name"} =
    (keyword("for")[set_kind<Token::Kind::for_>{}] >
     named("a loop variable", loop_variable[set_variable]) > named("'in'", keyword("in")) >
     named("an expression", expression[set_expr])) |
    (keyword("if")[set_kind<Token::Kind::if_>{}] > named("an expression", expression[set_expr])) |
    (keyword("elif")[set_kind<Token::Kind::elif>{}] >
     named("an expression", expression[set_expr])) |
    keyword("else")[set_kind<Token::Kind::else_>{}] |
    keyword("endfor")[set_kind<Token::Kind::endfor>{}] |
    keyword("endif")[set_kind<Token::Kind::endif>{}] |
    (keyword("include")[set_kind<Token::Kind::include>{}] >
     named("a template name in quotes", located("a string", quoted)[set_include])) |
    (keyword("set")[set_kind<Token::Kind::set>{}] >
     named("a variable name", variable[set_variable]) > '=' >
     named("an expression", expression[set_expr])) |
    keyword("endraw")[set_kind<Token::Kind::endraw>{}];

const auto statement =
    open_statement >
    named("a tag name",
          x3::skip(x3::space)[statement_body > named("'%}'", close_statement[end_tag])]);

const auto end_raw = x3::rule<class end_raw_tag>{"'{% endraw %}'"} =
    open_statement >> x3::skip(x3::space)[keyword("endraw")[set_kind<Token::Kind::endraw>{}] >
                                          named("'%}'", close_statement[end_tag])];

// Everything up to `{% endraw %}` is text, tags included.
const auto raw_text = located(
    "text", *(x3::char_ - (x3::lit("{%") >> -x3::lit('-') >> *x3::space >> keyword("endraw"))));

const auto raw_block =
    (open_statement >>
     x3::skip(x3::space)[keyword("raw")[mark_raw] > named("'%}'", close_statement[end_tag])]) >
    raw_text[push_text] > end_raw;

const auto comment = open_comment > named("'#}'", comment_rest[end_comment]);

const auto text = located("text", +(x3::char_ - (x3::lit("{{") | "{%" | "{#")))[push_text];

const auto document = *(raw_block | statement | output_tag | comment | text) > x3::eoi;

// Whitespace control. A line holding only block tags and comments (a "standalone" line)
// disappears with its indentation and line break, so `{% for %}` on its own line leaves no
// blank line; `{%-` and `-%}` trim all whitespace on their side up to the next tag.
void control_whitespace(const std::string& source, std::vector<Token>& tokens) {
  std::size_t line_token = 0;
  std::uint32_t line_begin = 0;
  bool has_tag = false;
  bool has_content = false;

  auto end_line = [&](std::size_t last_token, std::uint32_t line_end) {
    if (has_tag && !has_content) {
      std::string indent;
      for (std::size_t i = line_token; i <= last_token; ++i) {
        Token& t = tokens[i];
        if (t.kind == Token::Kind::include) t.indent = indent;
        if (t.kind != Token::Kind::text) continue;
        std::uint32_t from = std::max(t.begin, line_begin);
        std::uint32_t to = std::min(t.end, line_end);
        if (from >= to) continue;
        if (indent.empty() && i == line_token) indent = source.substr(from, to - from);
        // A line's text is a suffix of its first token and a prefix of its last one.
        if (to == t.end) {
          t.end = from;
        } else {
          t.begin = to;
        }
      }
    }
    has_tag = has_content = false;
  };

  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == Token::Kind::output) {
      has_content = true;
    } else if (t.kind != Token::Kind::text) {
      has_tag = true;
    } else {
      for (std::uint32_t at = t.begin; at < t.end; ++at) {
        char c = source[at];
        if (c == '\n') {
          end_line(i, at + 1);
          line_token = i;
          line_begin = at + 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
          has_content = true;
        }
      }
    }
  }
  end_line(tokens.empty() ? 0 : tokens.size() - 1, static_cast<std::uint32_t>(source.size()));

  auto blank = [&](std::uint32_t at) {
    char c = source[at];
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  };
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind == Token::Kind::text) continue;
    if (tokens[i].strip_before && i > 0 && tokens[i - 1].kind == Token::Kind::text) {
      Token& before = tokens[i - 1];
      while (before.end > before.begin && blank(before.end - 1)) --before.end;
    }
    if (tokens[i].strip_after && i + 1 < tokens.size() && tokens[i + 1].kind == Token::Kind::text) {
      Token& after = tokens[i + 1];
      while (after.begin < after.end && blank(after.begin)) ++after.begin;
    }
  }
}

const char* tag_name(Token::Kind kind) {
  switch (kind) {
    case Token::Kind::for_:
      return "for";
    case Token::Kind::if_:
      return "if";
    case Token::Kind::elif:
      return "elif";
    case Token::Kind::else_:
      return "else";
    case Token::Kind::endfor:
      return "endfor";
    case Token::Kind::endif:
      return "endif";
    case Token::Kind::endraw:
      return "endraw";
    default:
      return "tag";
  }
}

// Nests the tokens into blocks. Returns the first misplaced tag as a problem.
std::optional<Problem> build(const std::string& source, const std::vector<Token>& tokens,
                             Block& root) {
  struct Open {
    Node node;
    Token::Kind kind;
    bool in_else = false;
  };
  std::vector<Open> open;
  auto current = [&]() -> Block& {
    if (open.empty()) return root;
    Open& o = open.back();
    return o.in_else ? o.node.otherwise : o.node.branches.back().body;
  };
  bool after_raw = false;
  for (const Token& t : tokens) {
    Node node;
    node.offset = t.begin;
    switch (t.kind) {
      case Token::Kind::text:
        if (t.begin < t.end) {
          node.text = source.substr(t.begin, t.end - t.begin);
          current().push_back(std::move(node));
        }
        break;
      case Token::Kind::comment:
        break;
      case Token::Kind::output:
        node.kind = Node::Kind::output;
        node.expr = t.expr;
        current().push_back(std::move(node));
        break;
      case Token::Kind::set:
      case Token::Kind::include:
        node.kind = t.kind == Token::Kind::set ? Node::Kind::set : Node::Kind::include;
        node.expr = t.expr;
        node.name = t.name;
        node.name_offset = t.name_offset;
        node.text = t.indent;
        current().push_back(std::move(node));
        break;
      case Token::Kind::for_:
      case Token::Kind::if_:
        node.kind = t.kind == Token::Kind::for_ ? Node::Kind::for_ : Node::Kind::if_;
        node.name = t.name;
        node.name_offset = t.name_offset;
        if (t.kind == Token::Kind::for_) {
          node.expr = t.expr;
          node.branches.push_back({});
        } else {
          node.branches.push_back({t.expr, {}});
        }
        if (open.size() == static_cast<std::size_t>(max_depth)) {
          return Problem{t.begin, "blocks nested more than " + std::to_string(max_depth) + " deep",
                         "move the inner blocks to a template of their own"};
        }
        open.push_back({std::move(node), t.kind});
        break;
      case Token::Kind::elif:
        if (open.empty() || open.back().kind != Token::Kind::if_) {
          return Problem{t.begin, "'elif' outside an 'if'", ""};
        }
        if (open.back().in_else) return Problem{t.begin, "'elif' after the 'else' of an 'if'", ""};
        open.back().node.branches.push_back({t.expr, {}});
        break;
      case Token::Kind::else_:
        if (open.empty()) return Problem{t.begin, "'else' outside an 'if' or a 'for'", ""};
        if (open.back().in_else) {
          return Problem{t.begin,
                         std::string("second 'else' in one '") + tag_name(open.back().kind) + "'",
                         ""};
        }
        open.back().in_else = true;
        break;
      case Token::Kind::endfor:
      case Token::Kind::endif: {
        Token::Kind opener = t.kind == Token::Kind::endfor ? Token::Kind::for_ : Token::Kind::if_;
        if (open.empty()) {
          return Problem{
              t.begin,
              std::string("'") + tag_name(t.kind) + "' without an open '" + tag_name(opener) + "'",
              ""};
        }
        if (open.back().kind != opener) {
          return Problem{
              t.begin,
              std::string("'") + tag_name(t.kind) + "' cannot close the '" +
                  tag_name(open.back().kind) + "' still open",
              std::string("close it first with 'end") + tag_name(open.back().kind) + "'"};
        }
        Node done = std::move(open.back().node);
        open.pop_back();
        current().push_back(std::move(done));
        break;
      }
      case Token::Kind::raw:
        after_raw = true;
        break;
      case Token::Kind::endraw:
        if (!after_raw) return Problem{t.begin, "'endraw' without an open 'raw'", ""};
        after_raw = false;
        break;
    }
  }
  if (!open.empty()) {
    const char* kind = tag_name(open.back().kind);
    return Problem{open.back().node.offset, std::string("'") + kind + "' is never closed",
                   std::string("add '{% end") + kind + " %}'"};
  }
  return std::nullopt;
}

std::string describe_next(std::string_view rest) {
  if (rest.empty()) return "the end of the template";
  if (rest.front() == '\n') return "the end of the line";
  std::size_t n = 0;
  while (n < rest.size() && n < 12 && rest[n] != ' ' && rest[n] != '\n' && rest[n] != '\t') ++n;
  return "'" + std::string(rest.substr(0, n)) + "'";
}

std::vector<std::string> tag_names() {
  return {"for", "if", "elif", "else", "endfor", "endif", "include", "set", "raw", "endraw"};
}

// The message for an expectation failure: what was expected where, in the template's terms.
Problem explain(const Sink& s, const std::string& source,
                const x3::expectation_failure<Iterator>& e) {
  std::size_t at = static_cast<std::size_t>(e.where() - s.begin);
  while (at < source.size() && (source[at] == ' ' || source[at] == '\t')) ++at;
  std::string_view rest = std::string_view(source).substr(at);
  const std::string& which = e.which();
  if (which == too_deep) {
    return {at, "expression nested too deeply", "split it with '{% set %}'"};
  }
  if (which == "'\"'" || which == "'''") {
    return {s.quote_begin, "the string opened here is never closed", "strings stay on one line"};
  }
  if (which == "'{% endraw %}'") {
    return {s.raw_begin, "'raw' is never closed", "add '{% endraw %}'"};
  }
  if (which == "'#}'") return {s.tag.begin, "comment is never closed", "add '#}'"};
  if ((which == "'}}'" || which == "'%}'") && rest.find_first_not_of(" \t\r\n") == rest.npos) {
    return {s.tag.begin, "tag is never closed", "add '" + which.substr(1, 2) + "'"};
  }
  if (which == "a tag name") {
    std::size_t n = 0;
    while (n < rest.size() &&
           (std::isalnum(static_cast<unsigned char>(rest[n])) || rest[n] == '_')) {
      ++n;
    }
    if (n > 0) {
      std::string word(rest.substr(0, n));
      return {at, "unknown tag '" + word + "'", runtime::text::did_you_mean(word, tag_names())};
    }
  }
  return {at, "expected " + which + " but found " + describe_next(rest), ""};
}

}  // namespace

Expected<std::unique_ptr<Body>> parse(const std::string& name, const std::string& source) {
  if (source.size() >= std::numeric_limits<std::uint32_t>::max()) {
    return make_error(name, source, 0, "template is larger than 4 GiB");
  }
  Sink s;
  s.begin = source.data();
  Iterator first = source.data();
  Iterator last = source.data() + source.size();
  std::optional<Problem> problem;
  try {
    x3::parse(first, last, x3::with<sink_tag>(std::ref(s))[document]);
  } catch (const x3::expectation_failure<Iterator>& e) {
    problem = explain(s, source, e);
  }
  for (Problem& p : s.problems) {
    if (!problem || p.offset < problem->offset) problem = std::move(p);
  }
  auto body = std::make_unique<Body>();
  if (!problem) {
    control_whitespace(source, s.tokens);
    problem = build(source, s.tokens, body->nodes);
  }
  if (problem) {
    return make_error(name, source, problem->offset, std::move(problem->message),
                      std::move(problem->hint));
  }
  return body;
}

}  // namespace eskit::tmpl::detail
