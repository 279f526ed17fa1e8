#include "eskit/template/case.hpp"

#include "filters.hpp"

namespace eskit::tmpl {

using detail::Filter;

std::string to_case(std::string_view text, Case style) {
  Filter filter = Filter::snake;
  switch (style) {
    case Case::snake:
      filter = Filter::snake;
      break;
    case Case::camel:
      filter = Filter::camel;
      break;
    case Case::pascal:
      filter = Filter::pascal;
      break;
    case Case::kebab:
      filter = Filter::kebab;
      break;
    case Case::screaming:
      filter = Filter::screaming;
      break;
  }
  std::string out;
  detail::convert_case(text, filter, out);
  return out;
}

}  // namespace eskit::tmpl
