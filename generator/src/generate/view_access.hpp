// Reading the context view back in the generator's own C++ (behaviour.cpp, flow_view.cpp):
// the view is built once and several passes look things up in it by model name.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "eskit/template/value.hpp"

namespace eskit::generate {

/// A string key of a view object; the key is there in every view the generator builds.
inline const std::string& text(const tmpl::Object& view, std::string_view key) {
  return view.find(key)->as_string();
}

/// A view's `fields` by model name.
inline std::map<std::string, tmpl::Object> fields_by_name(const tmpl::Object& view) {
  std::map<std::string, tmpl::Object> out;
  for (const tmpl::Value& f : view.find("fields")->as_list())
    out.emplace(text(f.as_object(), "name"), f.as_object());
  return out;
}

}  // namespace eskit::generate
