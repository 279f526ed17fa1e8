// Rendering walks the parsed template once per call. Values are looked up in place (a path
// yields a pointer into the context) and a failure returns false up the stack with the error
// kept aside: no exceptions and no copies of the model on the way.
#include <algorithm>
#include <charconv>
#include <deque>
#include <optional>

#include "ast.hpp"
#include "eskit/runtime/text/did_you_mean.hpp"
#include "filters.hpp"

namespace eskit::tmpl {

namespace detail {

namespace {

struct Local {
  std::string_view name;
  const Value* value;
};

struct Loop {
  std::size_t index;
  std::size_t length;
};

// Appends the text of a scalar; false for null, lists and objects, which have none.
bool append_scalar(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::string:
      out += v.as_string();
      return true;
    case Value::Kind::integer: {
      char digits[24];
      auto end = std::to_chars(digits, digits + sizeof digits, v.as_integer()).ptr;
      out.append(digits, end);
      return true;
    }
    case Value::Kind::boolean:
      out += v.as_bool() ? "true" : "false";
      return true;
    default:
      return false;
  }
}

class Renderer {
 public:
  Renderer(const Value& context, const Template& root) : context_(context), current_(&root) {}

  bool block(const Block& nodes, std::string& out) {
    for (const Node& n : nodes) {
      if (!node(n, out)) return false;
    }
    return true;
  }

  Error take_error() { return std::move(*error_); }

 private:
  bool node(const Node& n, std::string& out) {
    switch (n.kind) {
      case Node::Kind::text:
        out += n.text;
        return true;
      case Node::Kind::output: {
        if (makes_text(*n.expr)) return filter_text(*n.expr, out);
        Value scratch;
        const Value* v = eval(*n.expr, scratch);
        return v && write(*v, *n.expr, out);
      }
      case Node::Kind::set: {
        Value scratch;
        const Value* v = eval(*n.expr, scratch);
        if (!v) return false;
        if (v == &scratch) {
          owned_.push_back(std::move(scratch));
          v = &owned_.back();
        }
        locals_.push_back({n.name, v});
        return true;
      }
      case Node::Kind::if_:
        for (const Branch& b : n.branches) {
          Value scratch;
          const Value* condition = eval(*b.condition, scratch);
          if (!condition) return false;
          if (condition->truthy()) return block(b.body, out);
        }
        return block(n.otherwise, out);
      case Node::Kind::for_:
        return loop(n, out);
      case Node::Kind::include:
        return include(n, out);
    }
    return true;
  }

  bool loop(const Node& n, std::string& out) {
    Value holder;
    const Value* sequence = eval(*n.expr, holder);
    if (!sequence) return false;
    if (sequence->kind() != Value::Kind::list) {
      return fail(n.expr->begin, "cannot loop over '" + text(*n.expr) + "': it is " +
                                     describe(sequence->kind()) + ", not a list");
    }
    const List& items = sequence->as_list();
    if (items.empty()) return block(n.otherwise, out);
    // Variables set in the body last one iteration.
    std::size_t locals = locals_.size();
    std::size_t owned = owned_.size();
    loops_.push_back({0, items.size()});
    bool ok = true;
    for (std::size_t i = 0; ok && i < items.size(); ++i) {
      loops_.back().index = i;
      locals_.push_back({n.name, &items[i]});
      ok = block(n.branches.front().body, out);
      locals_.resize(locals);
      owned_.resize(owned);
    }
    loops_.pop_back();
    return ok;
  }

  bool include(const Node& n, std::string& out) {
    const Template* includer = current_;
    std::size_t locals = locals_.size();
    std::size_t owned = owned_.size();
    current_ = n.included.get();
    bool ok;
    if (n.text.empty()) {
      ok = block(current_->body().nodes, out);
    } else {
      // A standalone include is indented as its tag was, line by line.
      std::string inner;
      ok = block(current_->body().nodes, inner);
      for (std::size_t pos = 0; ok && pos < inner.size();) {
        std::size_t end = std::min(inner.find('\n', pos), inner.size() - 1) + 1;
        if (inner[pos] != '\n') out += n.text;
        out.append(inner, pos, end - pos);
        pos = end;
      }
    }
    current_ = includer;
    locals_.resize(locals);
    owned_.resize(owned);
    if (!ok) {
      Error at = make_error(includer->name(), includer->source(), n.offset, {});
      error_->included_from.push_back(std::move(at.where));
    }
    return ok;
  }

  bool write(const Value& v, const Expr& e, std::string& out) {
    if (append_scalar(v, out)) return true;
    switch (v.kind()) {
      case Value::Kind::null:
        return fail(e.begin, "'" + text(e) + "' is null and has no text",
                    "give it a fallback with '| default(\"...\")' or test it with '{% if %}'");
      case Value::Kind::list:
        return fail(e.begin, "'" + text(e) + "' is a list and has no text",
                    "loop over it with '{% for %}' or use '| join(\", \")'");
      default:
        return fail(e.begin, "'" + text(e) + "' is an object and has no text",
                    "output one of its keys");
    }
  }

  const Value* eval(const Expr& e, Value& scratch) {
    switch (e.kind) {
      case Expr::Kind::literal:
        return &e.literal;
      case Expr::Kind::path:
        return lookup(e);
      case Expr::Kind::loop:
        return loop_field(e, scratch);
      case Expr::Kind::filter:
        return filter(e, scratch);
      case Expr::Kind::not_: {
        Value s;
        const Value* v = eval(*e.operands[0], s);
        if (!v) return nullptr;
        scratch = !v->truthy();
        return &scratch;
      }
      case Expr::Kind::and_:
      case Expr::Kind::or_: {
        Value s;
        const Value* left = eval(*e.operands[0], s);
        if (!left) return nullptr;
        // Short-circuit, so `x and x.key` is safe when x is null.
        if (left->truthy() == (e.kind == Expr::Kind::or_)) {
          scratch = left->truthy();
          return &scratch;
        }
        const Value* right = eval(*e.operands[1], s);
        if (!right) return nullptr;
        scratch = right->truthy();
        return &scratch;
      }
      default:
        return binary(e, scratch);
    }
  }

  const Value* binary(const Expr& e, Value& scratch) {
    Value s, t;
    const Value* a = eval(*e.operands[0], s);
    if (!a) return nullptr;
    const Value* b = eval(*e.operands[1], t);
    if (!b) return nullptr;
    const Expr& left = *e.operands[0];
    const Expr& right = *e.operands[1];
    switch (e.kind) {
      case Expr::Kind::eq:
        scratch = *a == *b;
        return &scratch;
      case Expr::Kind::ne:
        scratch = !(*a == *b);
        return &scratch;
      case Expr::Kind::lt:
      case Expr::Kind::le:
      case Expr::Kind::gt:
      case Expr::Kind::ge: {
        for (auto [v, x] : {std::pair{a, &left}, std::pair{b, &right}}) {
          if (v->kind() != Value::Kind::integer) {
            fail(x->begin,
                 "'" + text(*x) + "' is " + describe(v->kind()) + "; only integers can be ordered");
            return nullptr;
          }
        }
        std::int64_t x = a->as_integer();
        std::int64_t y = b->as_integer();
        scratch = e.kind == Expr::Kind::lt   ? x < y
                  : e.kind == Expr::Kind::le ? x <= y
                  : e.kind == Expr::Kind::gt ? x > y
                                             : x >= y;
        return &scratch;
      }
      case Expr::Kind::in:
      case Expr::Kind::not_in: {
        std::optional<bool> found = contains(*b, *a);
        if (!found) {
          fail(e.offset,
               "'in' needs a list, or a string on both sides, or a string key and an "
               "object; here it has " +
                   std::string(describe(a->kind())) + " and " + describe(b->kind()));
          return nullptr;
        }
        scratch = *found == (e.kind == Expr::Kind::in);
        return &scratch;
      }
      default: {  // concat
        std::string joined;
        for (auto [v, x] : {std::pair{a, &left}, std::pair{b, &right}}) {
          if (!append_scalar(*v, joined)) {
            fail(x->begin, "'" + text(*x) + "' is " + describe(v->kind()) + " and has no text");
            return nullptr;
          }
        }
        scratch = std::move(joined);
        return &scratch;
      }
    }
  }

  static std::optional<bool> contains(const Value& haystack, const Value& needle) {
    switch (haystack.kind()) {
      case Value::Kind::list: {
        const List& items = haystack.as_list();
        return std::find(items.begin(), items.end(), needle) != items.end();
      }
      case Value::Kind::string:
        if (needle.kind() != Value::Kind::string) return std::nullopt;
        return haystack.as_string().find(needle.as_string()) != std::string::npos;
      case Value::Kind::object:
        if (needle.kind() != Value::Kind::string) return std::nullopt;
        return haystack.as_object().contains(needle.as_string());
      default:
        return std::nullopt;
    }
  }

  const Value* lookup(const Expr& e) {
    const std::string& variable = e.path.front();
    const Value* v = nullptr;
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
      if (it->name == variable) {
        v = it->value;
        break;
      }
    }
    if (!v) v = context_.find(variable);
    if (!v) {
      std::vector<std::string> names;
      for (const Local& l : locals_) names.emplace_back(l.name);
      for (const auto& entry : context_.as_object()) names.push_back(entry.first);
      fail(e.path_offsets.front(), "unknown variable '" + variable + "'",
           runtime::text::did_you_mean(variable, names));
      return nullptr;
    }
    for (std::size_t k = 1; k < e.path.size(); ++k) {
      const std::string& key = e.path[k];
      std::string owner(
          current_->source().substr(e.path_offsets[0], e.path_offsets[k] - 1 - e.path_offsets[0]));
      if (v->kind() != Value::Kind::object) {
        fail(e.path_offsets[k],
             "'" + owner + "' is " + describe(v->kind()) + ", which has no key '" + key + "'");
        return nullptr;
      }
      const Value* next = v->find(key);
      if (!next) {
        std::vector<std::string> keys;
        for (const auto& entry : v->as_object()) keys.push_back(entry.first);
        fail(e.path_offsets[k], "'" + owner + "' has no key '" + key + "'",
             runtime::text::did_you_mean(key, keys));
        return nullptr;
      }
      v = next;
    }
    return v;
  }

  const Value* loop_field(const Expr& e, Value& scratch) {
    if (loops_.empty()) {
      fail(e.begin, "'" + text(e) + "' is only defined inside a for loop");
      return nullptr;
    }
    const Loop& l = loops_.back();
    switch (e.loop_field) {
      case LoopField::index:
        scratch = l.index + 1;
        break;
      case LoopField::index0:
        scratch = l.index;
        break;
      case LoopField::first:
        scratch = l.index == 0;
        break;
      case LoopField::last:
        scratch = l.index + 1 == l.length;
        break;
      case LoopField::length:
        scratch = l.length;
        break;
    }
    return &scratch;
  }

  static bool makes_text(const Expr& e) {
    return e.kind == Expr::Kind::filter && e.filter != Filter::default_value &&
           e.filter != Filter::length;
  }

  const Value* filter(const Expr& e, Value& scratch) {
    if (makes_text(e)) {
      std::string result;
      if (!filter_text(e, result)) return nullptr;
      scratch = std::move(result);
      return &scratch;
    }
    Value s;
    const Value* in = eval(*e.operands[0], s);
    if (!in) return nullptr;
    if (e.filter == Filter::length) {
      if (in->kind() == Value::Kind::string) {
        scratch = in->as_string().size();
      } else if (in->kind() == Value::Kind::list) {
        scratch = in->as_list().size();
      } else if (in->kind() == Value::Kind::object) {
        scratch = in->as_object().size();
      } else {
        wrong_input(e, *in, "a list, a string or an object");
        return nullptr;
      }
      return &scratch;
    }
    // default
    if (in->is_null()) {
      in = eval(*e.operands[1], s);
      if (!in) return nullptr;
    }
    // `in` may point at the local s, which dies on return.
    if (in != &s) return in;
    scratch = std::move(s);
    return &scratch;
  }

  // The filters whose result is text append it to `out`, which an output tag passes straight
  // from the template's output: no string is made just to be copied.
  bool filter_text(const Expr& e, std::string& out) {
    Value s;
    const Value* in = eval(*e.operands[0], s);
    if (!in) return false;
    if (e.filter == Filter::join) {
      if (in->kind() != Value::Kind::list) return wrong_input(e, *in, "a list");
      Value t;
      const Value* separator = e.operands.size() > 1 ? eval(*e.operands[1], t) : nullptr;
      if (e.operands.size() > 1 && !separator) return false;
      if (separator && separator->kind() != Value::Kind::string) {
        return fail(e.operands[1]->begin, "the separator of 'join' must be a string, not " +
                                              std::string(describe(separator->kind())));
      }
      const List& items = in->as_list();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0 && separator) out += separator->as_string();
        if (!append_scalar(items[i], out)) {
          return fail(e.offset, "filter 'join' needs text, but item " + std::to_string(i + 1) +
                                    " of '" + text(*e.operands[0]) + "' is " +
                                    describe(items[i].kind()));
        }
      }
      return true;
    }
    if (in->kind() != Value::Kind::string) return wrong_input(e, *in, "a string");
    if (e.filter == Filter::indent) {
      Value t;
      const Value* width = eval(*e.operands[1], t);
      if (!width) return false;
      if (width->kind() != Value::Kind::integer || width->as_integer() < 0 ||
          width->as_integer() > 256) {
        return fail(e.operands[1]->begin, "the width of 'indent' must be an integer from 0 to 256");
      }
      indent_lines(in->as_string(), static_cast<std::size_t>(width->as_integer()), out);
    } else if (e.filter == Filter::quote) {
      quote_cpp(in->as_string(), out);
    } else {
      convert_case(in->as_string(), e.filter, out);
    }
    return true;
  }

  bool wrong_input(const Expr& e, const Value& in, const char* wanted) {
    return fail(e.offset, "filter '" + std::string(spec(e.filter).name) + "' needs " + wanted +
                              ", but '" + text(*e.operands[0]) + "' is " + describe(in.kind()));
  }

  std::string text(const Expr& e) const {
    return current_->source().substr(e.begin, e.end - e.begin);
  }

  bool fail(std::size_t offset, std::string message, std::string hint = {}) {
    error_ = make_error(current_->name(), current_->source(), offset, std::move(message),
                        std::move(hint));
    return false;
  }

  const Value& context_;
  const Template* current_;
  std::vector<Local> locals_;
  // Values made by `set`; a deque keeps them in place as more are added.
  std::deque<Value> owned_;
  std::vector<Loop> loops_;
  std::optional<Error> error_;
};

}  // namespace

}  // namespace detail

Expected<std::string> render(const Template& tmpl, const Value& context) {
  if (context.kind() != Value::Kind::object) {
    return detail::make_error(
        tmpl.name(), tmpl.source(), 0,
        std::string("a template renders over an object, not ") + describe(context.kind()));
  }
  detail::Renderer renderer(context, tmpl);
  std::string out;
  out.reserve(tmpl.source().size() * 2);
  if (!renderer.block(tmpl.body().nodes, out)) return renderer.take_error();
  return out;
}

}  // namespace eskit::tmpl
