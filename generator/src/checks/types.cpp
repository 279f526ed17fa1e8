// Types of fields and of expressions: every named type resolves inside its own context,
// and every expression has the type its position needs.
#include <algorithm>

#include "checker.hpp"

namespace eskit::model::checks {

using K = ValueKind::Kind;

std::string ValueKind::describe() const {
  switch (kind) {
    case K::unknown:
      return "unknown";
    case K::null:
      return "null";
    case K::boolean:
      return "bool";
    case K::integer:
      return "a whole number";
    case K::number:
      return "a number";
    case K::string:
      return is_literal ? "the text '" + literal + "'" : "string";
    case K::date:
      return "date";
    case K::datetime:
      return "datetime";
    case K::uuid:
      return "uuid";
    case K::enumeration: {
      if (!name.empty()) return "enum " + name;
      std::string out = "enum[";
      for (std::size_t i = 0; i < enum_values.size(); ++i) out += (i ? ", " : "") + enum_values[i];
      return out + "]";
    }
    case K::list:
      return "list<" + (element ? element->describe() : std::string("?")) + ">";
    case K::object:
      return name;
    case K::bare_word:
      return "'" + literal + "'";
  }
  return "?";
}

void Checker::check_types(const Context& c) {
  for (const auto& t : c.types) {
    if (t.is_enum && t.enum_values.empty()) {
      d_.error(t.where, "enum '" + t.name + "' has no values");
    }
    check_field_types(c, t.fields);
    for (const auto& f : t.fields) {
      if (f.type && f.type->kind == Type::Kind::named && f.type->name == t.name) {
        d_.error(f.type_where,
                 "value object '" + t.name + "' contains itself through field '" + f.name + "'");
      }
    }
  }
  for (const auto& cv : c.config) {
    if (!check_type(c, cv.type, cv.type_where)) continue;
    if (cv.default_value) {
      check_value(c, *cv.default_value, kind_of(c, cv.type), "the default of '" + cv.name + "'");
    }
  }
}

bool Checker::check_type(const Context& c, const TypePtr& type, const Location& where) {
  if (!type) return false;
  switch (type->kind) {
    case Type::Kind::primitive:
      return true;
    case Type::Kind::list:
      return check_type(c, type->element, where);
    case Type::Kind::inline_enum: {
      bool ok = true;
      for (std::size_t i = 0; i < type->enum_values.size(); ++i) {
        const auto& v = type->enum_values[i];
        check_identifier(v, where, "enum value", 'U');
        if (std::find(type->enum_values.begin(),
                      type->enum_values.begin() + static_cast<std::ptrdiff_t>(i),
                      v) != type->enum_values.begin() + static_cast<std::ptrdiff_t>(i)) {
          d_.error(where, "enum value '" + v + "' is listed twice");
          ok = false;
        }
      }
      return ok;
    }
    case Type::Kind::named: {
      if (auto dot = type->name.find('.'); dot != std::string::npos) {
        d_.error(where, "type '" + type->name + "' belongs to context '" +
                            type->name.substr(0, dot) +
                            "'; a context declares its own types "
                            "(copy the value object into '" +
                            c.name + "')");
        return false;
      }
      if (c.find_type(type->name)) return true;
      std::vector<std::string> candidates = {"string", "int",  "long",     "double", "decimal",
                                             "bool",   "date", "datetime", "uuid"};
      for (const auto& t : c.types) candidates.push_back(t.name);
      std::string hint = did_you_mean(type->name, candidates);
      if (hint.empty()) {
        for (const auto& other : m_.contexts) {
          if (&other != &c && other.find_type(type->name)) {
            hint = "'" + type->name + "' is declared in context '" + other.name +
                   "'; each context declares the types it uses";
          }
        }
      }
      d_.error(where, "unknown type '" + type->name + "' in context '" + c.name + "'", hint);
      return false;
    }
  }
  return false;
}

void Checker::check_field_types(const Context& c, const std::vector<Field>& fields) {
  for (const auto& f : fields) {
    if (!check_type(c, f.type, f.type_where)) continue;
    if (f.default_value) {
      check_value(c, *f.default_value, kind_of(c, f.type), "the default of '" + f.name + "'");
    }
  }
}

ValueKind Checker::kind_of(const Context& c, const TypePtr& type) const {
  ValueKind k;
  if (!type) return k;
  switch (type->kind) {
    case Type::Kind::primitive:
      switch (type->primitive) {
        case Primitive::string:
          k.kind = K::string;
          break;
        case Primitive::int32:
        case Primitive::int64:
          k.kind = K::integer;
          break;
        case Primitive::float64:
        case Primitive::decimal:
          k.kind = K::number;
          break;
        case Primitive::boolean:
          k.kind = K::boolean;
          break;
        case Primitive::date:
          k.kind = K::date;
          break;
        case Primitive::datetime:
          k.kind = K::datetime;
          break;
        case Primitive::uuid:
          k.kind = K::uuid;
          break;
      }
      break;
    case Type::Kind::list:
      k.kind = K::list;
      k.element = std::make_shared<ValueKind>(kind_of(c, type->element));
      break;
    case Type::Kind::inline_enum:
      k.kind = K::enumeration;
      k.enum_values = type->enum_values;
      break;
    case Type::Kind::named:
      if (const ValueType* t = c.find_type(type->name)) {
        if (t->is_enum) {
          k.kind = K::enumeration;
          k.name = t->name;
          for (const auto& v : t->enum_values) k.enum_values.push_back(v.value);
        } else {
          k.kind = K::object;
          k.name = t->name;
        }
      }
      break;
  }
  return k;
}

bool Checker::resolve_bare_word(const ValueKind& word, const ValueKind& against) {
  if (word.kind != K::bare_word) return true;
  if (against.kind != K::enumeration) {
    d_.error(word.where, word.unknown_message, word.unknown_hint);
    return false;
  }
  if (std::find(against.enum_values.begin(), against.enum_values.end(), word.literal) !=
      against.enum_values.end()) {
    return true;
  }
  d_.error(word.where, "'" + word.literal + "' is not a value of " + against.describe(),
           did_you_mean(word.literal, against.enum_values));
  return false;
}

bool Checker::assignable(const ValueKind& to, const ValueKind& from) const {
  if (to.kind == K::unknown || from.kind == K::unknown || from.kind == K::null) return true;
  switch (to.kind) {
    case K::number:
      return from.numeric();
    case K::string:
      return from.kind == K::string || from.kind == K::enumeration;
    case K::date:
    case K::datetime:
    case K::uuid:
      // A literal such as '2024-05-01' is accepted here; its format is checked when it runs.
      return from.kind == to.kind || (from.kind == K::string && from.is_literal);
    case K::enumeration:
      if (from.kind == K::string && from.is_literal) {
        return std::find(to.enum_values.begin(), to.enum_values.end(), from.literal) !=
               to.enum_values.end();
      }
      if (from.kind != K::enumeration) return false;
      // Enums match when every value of the source is a value of the target.
      return std::all_of(from.enum_values.begin(), from.enum_values.end(), [&](const auto& v) {
        return std::find(to.enum_values.begin(), to.enum_values.end(), v) != to.enum_values.end();
      });
    case K::list:
      return from.kind == K::list &&
             (!to.element || !from.element || assignable(*to.element, *from.element));
    case K::object:
      return from.kind == K::object && from.name == to.name;
    default:
      return from.kind == to.kind;
  }
}

ValueKind Checker::infer(const Scope& scope, const Context& c, const Expression& e, const Expr& x) {
  ValueKind out;
  auto at = [&](std::size_t offset) { return e.at(offset); };
  switch (x.kind) {
    case Expr::Kind::literal_int:
      out.kind = K::integer;
      out.is_literal = true;
      return out;
    case Expr::Kind::literal_float:
      out.kind = K::number;
      out.is_literal = true;
      return out;
    case Expr::Kind::literal_string:
      out.kind = K::string;
      out.is_literal = true;
      out.literal = x.text;
      out.where = at(x.offset);
      return out;
    case Expr::Kind::literal_bool:
      out.kind = K::boolean;
      return out;
    case Expr::Kind::literal_null:
      out.kind = K::null;
      return out;
    case Expr::Kind::list: {
      out.kind = K::list;
      ValueKind element;
      for (const auto& item : x.operands) {
        ValueKind k = infer(scope, c, e, *item);
        if (k.kind == K::bare_word) {
          resolve_bare_word(k, ValueKind{});
          continue;
        }
        if (element.kind == K::unknown) {
          element = k;
        } else if (!assignable(element, k) && !assignable(k, element)) {
          d_.error(at(item->offset), "a list mixes " + element.describe() + " and " + k.describe());
        }
      }
      out.element = std::make_shared<ValueKind>(element);
      return out;
    }
    case Expr::Kind::call: {
      if (x.text == "now") {
        if (!x.operands.empty()) d_.error(at(x.offset), "now() takes no arguments");
        out.kind = K::datetime;
        return out;
      }
      if (x.text == "size") {
        if (x.operands.size() != 1) {
          d_.error(at(x.offset), "size() takes one list or string");
        } else {
          ValueKind arg = infer(scope, c, e, *x.operands[0]);
          if (arg.kind == K::bare_word) {
            resolve_bare_word(arg, ValueKind{});
          } else if (arg.kind != K::list && arg.kind != K::string && arg.kind != K::unknown) {
            d_.error(at(x.operands[0]->offset),
                     "size() needs a list or a string, not " + arg.describe());
          }
        }
        out.kind = K::integer;
        return out;
      }
      d_.error(at(x.offset), "unknown function '" + x.text + "'",
               did_you_mean(x.text, {"now", "size"}));
      return out;
    }
    case Expr::Kind::path: {
      const std::string& first = x.path.front();
      const Symbol* symbol = nullptr;
      std::size_t next = 1;
      const Scope::Group* prefixed = nullptr;
      if (x.path.size() >= 2) {
        for (const auto& g : scope.groups) {
          if (g.prefix == first) prefixed = &g;
        }
      }
      if (prefixed) {
        for (const auto& s : prefixed->symbols) {
          if (s.name == x.path[1]) symbol = &s;
        }
        if (!symbol) {
          std::vector<std::string> names;
          for (const auto& s : prefixed->symbols) names.push_back(s.name);
          d_.error(at(x.offset), "'" + first + "' has no field '" + x.path[1] + "'",
                   did_you_mean(x.path[1], names));
          return out;
        }
        next = 2;
      } else {
        for (const auto& g : scope.groups) {
          if (!g.bare || symbol) continue;
          for (const auto& s : g.symbols) {
            if (s.name == first) {
              symbol = &s;
              break;
            }
          }
        }
      }
      if (!symbol) {
        if (x.path.size() >= 2 && first == "this") {
          d_.error(at(x.offset), "'this' is not available in " + scope.description +
                                     ": there is no existing aggregate to read here");
          return out;
        }
        if (x.path.size() >= 2 && m_.find_context(first)) {
          d_.error(at(x.offset), "an expression cannot read context '" + first +
                                     "' directly; only events, policies and declared sync "
                                     "calls cross a context boundary");
          return out;
        }
        std::vector<std::string> names;
        for (const auto& g : scope.groups) {
          if (!g.bare) continue;
          for (const auto& s : g.symbols) names.push_back(s.name);
        }
        if (x.path.size() == 1) {
          // Maybe an enum value; the caller decides once it knows the other side.
          out.kind = K::bare_word;
          out.literal = first;
          out.where = at(x.offset);
          out.unknown_message = "unknown name '" + first + "' in " + scope.description;
          out.unknown_hint = did_you_mean(first, names);
          return out;
        }
        d_.error(at(x.offset), "unknown name '" + first + "' in " + scope.description,
                 did_you_mean(first, names));
        return out;
      }
      const Context* owner = symbol->owner ? symbol->owner : &c;
      out = kind_of(*owner, symbol->type);
      TypePtr type = symbol->type;
      for (; next < x.path.size(); ++next) {
        const ValueType* vo = nullptr;
        if (type && type->kind == Type::Kind::named) vo = owner->find_type(type->name);
        if (!vo || vo->is_enum) {
          d_.error(at(x.offset), "'" + x.path[next - 1] + "' is " + out.describe() +
                                     ", which has no field '" + x.path[next] + "'");
          return ValueKind{};
        }
        const Field* f = nullptr;
        for (const auto& vf : vo->fields) {
          if (vf.name == x.path[next]) f = &vf;
        }
        if (!f) {
          std::vector<std::string> names;
          for (const auto& vf : vo->fields) names.push_back(vf.name);
          d_.error(at(x.offset), "'" + vo->name + "' has no field '" + x.path[next] + "'",
                   did_you_mean(x.path[next], names));
          return ValueKind{};
        }
        type = f->type;
        out = kind_of(*owner, type);
      }
      return out;
    }
    case Expr::Kind::unary: {
      ValueKind operand = infer(scope, c, e, *x.operands[0]);
      if (x.unary == UnaryOp::not_) {
        if (operand.kind != K::boolean && operand.kind != K::unknown) {
          resolve_bare_word(operand, ValueKind{});
          if (operand.kind != K::bare_word) {
            d_.error(at(x.operands[0]->offset),
                     "'not' needs a condition, not " + operand.describe());
          }
        }
        out.kind = K::boolean;
        return out;
      }
      if (!operand.numeric() && operand.kind != K::unknown) {
        if (operand.kind == K::bare_word) {
          resolve_bare_word(operand, ValueKind{});
        } else {
          d_.error(at(x.offset), "'-' needs a number, not " + operand.describe());
        }
        return ValueKind{};  // reported: the rest of the expression need not trip over it
      }
      return operand;
    }
    case Expr::Kind::binary: {
      ValueKind lhs = infer(scope, c, e, *x.operands[0]);
      // `status in [PAID, CAUGHT]` reads its items against the enum on the left, below.
      bool enum_in_list = (x.binary == BinaryOp::in || x.binary == BinaryOp::not_in) &&
                          lhs.kind == K::enumeration && x.operands[1]->kind == Expr::Kind::list;
      ValueKind rhs = enum_in_list ? ValueKind{} : infer(scope, c, e, *x.operands[1]);
      std::string op = spelling(x.binary);
      switch (x.binary) {
        case BinaryOp::or_:
        case BinaryOp::and_:
          for (const auto* side : {&lhs, &rhs}) {
            if (side->kind == K::bare_word) {
              resolve_bare_word(*side, ValueKind{});
            } else if (side->kind != K::boolean && side->kind != K::unknown) {
              d_.error(at(x.offset),
                       "'" + op + "' joins conditions, but one side is " + side->describe());
            }
          }
          out.kind = K::boolean;
          return out;
        case BinaryOp::eq:
        case BinaryOp::ne:
        case BinaryOp::lt:
        case BinaryOp::le:
        case BinaryOp::gt:
        case BinaryOp::ge: {
          out.kind = K::boolean;
          if (lhs.kind == K::bare_word && rhs.kind == K::bare_word) {
            resolve_bare_word(lhs, ValueKind{});
            return out;
          }
          // A bare word beside an enum is one of its values (`status == PAID`).
          if (lhs.kind == K::bare_word || rhs.kind == K::bare_word) {
            const bool left_word = lhs.kind == K::bare_word;
            resolve_bare_word(left_word ? lhs : rhs, left_word ? rhs : lhs);
            return out;
          }
          bool ordered = x.binary != BinaryOp::eq && x.binary != BinaryOp::ne;
          // `channel == 'ONLINE'`: text compared with an enum must be one of its values.
          const ValueKind* enum_side = lhs.kind == K::enumeration   ? &lhs
                                       : rhs.kind == K::enumeration ? &rhs
                                                                    : nullptr;
          const ValueKind* text_side = lhs.kind == K::string && lhs.is_literal   ? &lhs
                                       : rhs.kind == K::string && rhs.is_literal ? &rhs
                                                                                 : nullptr;
          if (enum_side && text_side) {
            if (!assignable(*enum_side, *text_side)) {
              d_.error(text_side->where,
                       "'" + text_side->literal + "' is not a value of " + enum_side->describe(),
                       did_you_mean(text_side->literal, enum_side->enum_values));
            }
            return out;
          }
          if (!assignable(lhs, rhs) && !assignable(rhs, lhs)) {
            d_.error(at(x.offset), "cannot compare " + lhs.describe() + " with " + rhs.describe());
          } else if (ordered) {
            auto orderable = [](const ValueKind& k) {
              return k.numeric() || k.kind == K::date || k.kind == K::datetime ||
                     k.kind == K::string || k.kind == K::unknown;
            };
            if (!orderable(lhs) || !orderable(rhs)) {
              d_.error(at(x.offset), "'" + op + "' orders numbers, dates and text, not " +
                                         (orderable(lhs) ? rhs : lhs).describe());
            }
          }
          return out;
        }
        case BinaryOp::in:
        case BinaryOp::not_in: {
          out.kind = K::boolean;
          if (enum_in_list) {
            for (const auto& item : x.operands[1]->operands) {
              ValueKind k = infer(scope, c, e, *item);
              if (k.kind == K::bare_word) {
                resolve_bare_word(k, lhs);
              } else if (!assignable(lhs, k)) {
                d_.error(at(item->offset),
                         "cannot look for " + lhs.describe() + " among " + k.describe());
              }
            }
            return out;
          }
          if (rhs.kind == K::bare_word) {
            resolve_bare_word(rhs, ValueKind{});
            return out;
          }
          if (rhs.kind != K::list && rhs.kind != K::unknown) {
            d_.error(at(x.operands[1]->offset),
                     "'" + op + "' needs a list on its right, not " + rhs.describe());
            return out;
          }
          ValueKind element = rhs.element ? *rhs.element : ValueKind{};
          if (lhs.kind == K::bare_word) {
            resolve_bare_word(lhs, element);
          } else if (!assignable(element, lhs) && !assignable(lhs, element)) {
            d_.error(at(x.offset), "cannot look for " + lhs.describe() + " in " + rhs.describe());
          }
          return out;
        }
        default: {  // arithmetic
          for (const auto* side : {&lhs, &rhs}) {
            if (side->kind == K::bare_word) resolve_bare_word(*side, ValueKind{});
          }
          if (x.binary == BinaryOp::add && lhs.kind == K::string && rhs.kind == K::string) {
            out.kind = K::string;  // concatenation
            return out;
          }
          if ((!lhs.numeric() && lhs.kind != K::unknown && lhs.kind != K::bare_word) ||
              (!rhs.numeric() && rhs.kind != K::unknown && rhs.kind != K::bare_word)) {
            d_.error(at(x.offset),
                     "'" + op + "' needs numbers, not " + (lhs.numeric() ? rhs : lhs).describe());
            return out;
          }
          out.kind = lhs.kind == K::number || rhs.kind == K::number ? K::number : K::integer;
          return out;
        }
      }
    }
  }
  return out;
}

void Checker::expect(const Scope& scope, const Context& c, const Expression& e,
                     const ValueKind& want, std::string_view target) {
  if (!e.tree) return;  // a syntax error was already reported
  ValueKind got = infer(scope, c, e, *e.tree);
  if (got.kind == K::bare_word) {
    if (want.kind == K::enumeration) {
      resolve_bare_word(got, want);
    } else {
      std::string hint = got.unknown_hint;
      if (hint.empty() && want.kind == K::string) {
        hint = "text is written in quotes: \"'" + got.literal + "'\"";
      }
      d_.error(got.where, got.unknown_message, hint);
    }
    return;
  }
  if (!assignable(want, got)) {
    d_.error(e.at(e.tree->offset), std::string(target) + " is " + want.describe() +
                                       ", but the expression is " + got.describe());
  }
}

void Checker::check_value(const Context& c, const Value& v, const ValueKind& want,
                          std::string_view what) {
  auto mismatch = [&](const std::string& found) {
    d_.error(v.where, std::string(what) + " must be " + want.describe() + ", found " + found);
  };
  if (v.kind == Value::Kind::null || want.kind == K::unknown) return;
  switch (want.kind) {
    case K::list:
      if (v.kind != Value::Kind::list) return mismatch("a single value");
      for (const auto& item : v.items) {
        check_value(c, item, want.element ? *want.element : ValueKind{}, what);
      }
      return;
    case K::object:
      if (v.kind != Value::Kind::map) return mismatch("a single value");
      if (const ValueType* t = c.find_type(want.name)) {
        for (const auto& [key, item] : v.entries) {
          const Field* f = nullptr;
          for (const auto& tf : t->fields) {
            if (tf.name == key.value) f = &tf;
          }
          if (!f) {
            std::vector<std::string> names;
            for (const auto& tf : t->fields) names.push_back(tf.name);
            d_.error(key.where, "'" + t->name + "' has no field '" + key.value + "'",
                     did_you_mean(key.value, names));
          } else {
            check_value(c, item, kind_of(c, f->type), what);
          }
        }
      }
      return;
    default:
      break;
  }
  if (v.kind != Value::Kind::scalar)
    return mismatch(v.kind == Value::Kind::list ? "a list" : "a mapping");
  const std::string& s = v.scalar;
  auto quoted = [&](const std::string& found) {
    return v.quoted ? "the text '" + s + "' (numbers and booleans are written without quotes)"
                    : found;
  };
  auto is_integer = [&] {
    std::size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
    return i < s.size() &&
           std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(), ::isdigit);
  };
  auto is_number = [&] {
    try {
      std::size_t used = 0;
      (void)std::stod(s, &used);
      return used == s.size();
    } catch (const std::exception&) {
      return false;
    }
  };
  switch (want.kind) {
    case K::integer:
      if (v.quoted || !is_integer()) mismatch(quoted("'" + s + "'"));
      return;
    case K::number:
      if (v.quoted || !is_number()) mismatch(quoted("'" + s + "'"));
      return;
    case K::boolean:
      if (v.quoted || (s != "true" && s != "false")) mismatch(quoted("'" + s + "'"));
      return;
    case K::enumeration:
      if (std::find(want.enum_values.begin(), want.enum_values.end(), s) ==
          want.enum_values.end()) {
        d_.error(v.where, std::string(what) + ": '" + s + "' is not a value of " + want.describe(),
                 did_you_mean(s, want.enum_values));
      }
      return;
    default:
      return;  // text, dates and ids are written as text
  }
}

}  // namespace eskit::model::checks
