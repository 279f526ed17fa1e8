// Helpers shared by the template tests: render a text, or get its error as `name:line:col:
// message`, the part of a diagnostic the tests pin down.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "eskit/template/template.hpp"

namespace eskit::tmpl::testing {

inline Expected<std::string> try_render(std::string_view text, const Value& context = Object{},
                                        Environment::Sources sources = {}) {
  Environment env(std::move(sources));
  auto compiled = env.compile("test.tmpl", std::string(text));
  if (!compiled) return compiled.error();
  return render(**compiled, context);
}

inline std::string render_ok(std::string_view text, const Value& context = Object{},
                             Environment::Sources sources = {}) {
  auto out = try_render(text, context, std::move(sources));
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().to_string());
  return out ? *out : std::string();
}

inline std::string located(const Error& e) {
  return e.where.name + ':' + std::to_string(e.where.line) + ':' + std::to_string(e.where.column) +
         ": " + e.message;
}

inline Error error_of(std::string_view text, const Value& context = Object{},
                      Environment::Sources sources = {}) {
  auto out = try_render(text, context, std::move(sources));
  if (out) {
    ADD_FAILURE() << "expected an error, rendered: " << *out;
    return {};
  }
  return out.error();
}

inline std::string located_error(std::string_view text, const Value& context = Object{},
                                 Environment::Sources sources = {}) {
  return located(error_of(text, context, std::move(sources)));
}

}  // namespace eskit::tmpl::testing
