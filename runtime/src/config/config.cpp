#include "eskit/runtime/config/config.hpp"

#include <algorithm>
#include <stdexcept>

namespace eskit::runtime::config {

Config::Config(std::vector<Entry> entries) : entries_(std::move(entries)) {
  for (std::size_t i = 0; i < entries_.size(); ++i) index_.emplace(entries_[i].setting.name, i);
}

const Config::Entry& Config::entry(std::string_view name) const {
  auto it = index_.find(name);
  if (it == index_.end()) {
    throw std::logic_error("configuration setting '" + std::string(name) + "' is not declared");
  }
  return entries_[it->second];
}

void Config::wrong_type(const Entry& entry) {
  throw std::logic_error("configuration setting '" + entry.setting.name + "' holds " +
                         expected_text(entry.setting.type) + ", read as another type");
}

std::string Config::effective() const {
  std::vector<std::pair<std::string, std::string>> shown;
  std::size_t name_width = 0;
  std::size_t value_width = 0;
  for (const Entry& e : entries_) {
    shown.emplace_back(e.setting.name, e.setting.secret ? "***" : display(e.value));
    name_width = std::max(name_width, e.setting.name.size());
    value_width = std::max(value_width, shown.back().second.size());
  }
  std::string out;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const auto& [name, value] = shown[i];
    out += name + std::string(name_width - name.size(), ' ') + " = " + value +
           std::string(value_width - value.size(), ' ') + "  " + to_string(entries_[i].origin) +
           "\n";
  }
  return out;
}

}  // namespace eskit::runtime::config
