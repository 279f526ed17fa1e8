// The grammar of field types (`list<Money>`, `enum[CARD, CASH]`, `string?`) and of durations,
// on Boost.Spirit X3.
#include <boost/spirit/home/x3.hpp>

#include "eskit/model/expr.hpp"
#include "eskit/model/type.hpp"

namespace eskit::model {

namespace x3 = boost::spirit::x3;

namespace {

using Iterator = std::string::const_iterator;

struct primitive_names : x3::symbols<Primitive> {
  primitive_names() {
    add("string", Primitive::string)("int", Primitive::int32)("long", Primitive::int64)(
        "double", Primitive::float64)("decimal", Primitive::decimal)("bool", Primitive::boolean)(
        "date", Primitive::date)("datetime", Primitive::datetime)("uuid", Primitive::uuid);
  }
} const primitives;

const auto identifier = x3::rule<class identifier_tag, std::string>{"a name"} =
    x3::lexeme[(x3::alpha | x3::char_('_')) >> *(x3::alnum | x3::char_('_'))];

const auto word_end = !(x3::alnum | '_');

// `Money` or `payment.Money`; the checker refuses the second with a message about boundaries.
const auto type_name = x3::rule<class type_name_tag, std::string>{"a type name"} =
    x3::raw[x3::lexeme[identifier >> *('.' >> identifier)]];

const auto enum_value = x3::rule<class enum_value_tag, std::string>{"an enum value"} = identifier;

const auto enum_values = x3::rule<class enum_values_tag, std::vector<std::string>>{
    "an enum value"} = enum_value > *(',' > enum_value);

x3::rule<class type_tag, TypePtr> const type = "a type";
x3::rule<class base_tag, TypePtr> const base = "a type";

auto const make_primitive = [](auto& ctx) {
  Type t;
  t.kind = Type::Kind::primitive;
  t.primitive = x3::_attr(ctx);
  x3::_val(ctx) = std::make_shared<const Type>(std::move(t));
};

auto const make_list = [](auto& ctx) {
  Type t;
  t.kind = Type::Kind::list;
  t.element = x3::_attr(ctx);
  x3::_val(ctx) = std::make_shared<const Type>(std::move(t));
};

auto const make_enum = [](auto& ctx) {
  Type t;
  t.kind = Type::Kind::inline_enum;
  t.enum_values = x3::_attr(ctx);
  x3::_val(ctx) = std::make_shared<const Type>(std::move(t));
};

auto const make_named = [](auto& ctx) {
  Type t;
  t.kind = Type::Kind::named;
  t.name = x3::_attr(ctx);
  x3::_val(ctx) = std::make_shared<const Type>(std::move(t));
};

auto const make_optional = [](auto& ctx) {
  Type t = *x3::_val(ctx);
  t.optional = true;
  x3::_val(ctx) = std::make_shared<const Type>(std::move(t));
};

auto const assign = [](auto& ctx) { x3::_val(ctx) = x3::_attr(ctx); };

auto const base_def =
    (x3::lexeme[x3::lit("list") >> word_end] > '<' > type > '>')[make_list] |
    (x3::lexeme[x3::lit("enum") >> word_end] > '[' > enum_values > ']')[make_enum] |
    x3::lexeme[primitives >> word_end][make_primitive] | type_name[make_named];

auto const type_def = base[assign] >> -x3::lit('?')[make_optional];

BOOST_SPIRIT_DEFINE(type, base)

}  // namespace

std::optional<TypePtr> parse_type(const std::string& text, std::size_t& error_column,
                                  std::string& error_message) {
  // Each `list<` is a recursion of the grammar: thousands of them exhaust the stack.
  constexpr int max_nesting = 32;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    depth += text[i] == '<' ? 1 : text[i] == '>' ? -1 : 0;
    if (depth > max_nesting) {
      error_column = i;
      error_message = "the type nests deeper than " + std::to_string(max_nesting) + " lists";
      return std::nullopt;
    }
  }
  Iterator first = text.begin();
  TypePtr result;
  try {
    bool ok = x3::phrase_parse(first, text.end(), type, x3::space, result);
    if (ok && first == text.end()) return result;
    while (first != text.end() && std::isspace(static_cast<unsigned char>(*first))) ++first;
    error_column = static_cast<std::size_t>(first - text.begin());
    error_message = ok ? "unexpected '" + std::string(first, text.end()) + "' after the type"
                       : "expected a type such as string, long, list<T> or enum[A, B]";
  } catch (const x3::expectation_failure<Iterator>& e) {
    error_column = static_cast<std::size_t>(e.where() - text.begin());
    std::string found =
        e.where() == text.end() ? "the end" : "'" + std::string(1, *e.where()) + "'";
    error_message = "expected " + e.which() + " but found " + found + " in type";
  }
  return std::nullopt;
}

std::optional<long long> parse_duration_ms(const std::string& text) {
  // Durations are a number and a unit; the unit is matched whole so `5sec` is refused.
  unsigned long long amount = 0;
  Iterator first = text.begin();
  if (!x3::parse(first, text.end(), x3::ulong_long, amount)) return std::nullopt;
  std::string unit(first, text.end());
  const unsigned long long limit = 1ull << 40;  // far beyond any sensible timeout
  if (amount > limit) return std::nullopt;
  long long ms = static_cast<long long>(amount);
  if (unit == "ms") return ms;
  if (unit == "s") return ms * 1000;
  if (unit == "m") return ms * 60'000;
  if (unit == "h") return ms * 3'600'000;
  return std::nullopt;
}

std::string Type::spelling() const {
  std::string out;
  switch (kind) {
    case Kind::primitive:
      out = model::spelling(primitive);
      break;
    case Kind::list:
      out = "list<" + element->spelling() + ">";
      break;
    case Kind::inline_enum:
      out = "enum[";
      for (std::size_t i = 0; i < enum_values.size(); ++i) out += (i ? ", " : "") + enum_values[i];
      out += "]";
      break;
    case Kind::named:
      out = name;
      break;
  }
  return optional ? out + "?" : out;
}

const char* spelling(Primitive p) {
  switch (p) {
    case Primitive::string:
      return "string";
    case Primitive::int32:
      return "int";
    case Primitive::int64:
      return "long";
    case Primitive::float64:
      return "double";
    case Primitive::decimal:
      return "decimal";
    case Primitive::boolean:
      return "bool";
    case Primitive::date:
      return "date";
    case Primitive::datetime:
      return "datetime";
    case Primitive::uuid:
      return "uuid";
  }
  return "?";
}

}  // namespace eskit::model
