#include "eskit/runtime/config/problem.hpp"

namespace eskit::runtime::config {

std::string format_problems(const std::vector<Problem>& problems) {
  std::string out;
  for (const Problem& p : problems) {
    if (!p.where.empty()) out += p.where + ": ";
    out += "error: ";
    if (!p.setting.empty()) out += p.setting + ": ";
    out += p.message + "\n";
    if (!p.note.empty()) out += "  note: " + p.note + "\n";
  }
  out += "configuration: " + std::to_string(problems.size()) +
         (problems.size() == 1 ? " error\n" : " errors\n");
  return out;
}

}  // namespace eskit::runtime::config
