#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "scenario_data.hpp"

namespace eskit::run {

namespace {

std::string joined_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    if (!out.empty()) out += '\n';
    out += line;
  }
  return out;
}

}  // namespace

Scenario::Scenario(std::shared_ptr<const ScenarioData> data) : data_(std::move(data)) {}

const std::string& Scenario::title() const { return data_->title; }
const std::vector<std::string>& Scenario::proves() const { return data_->proves; }
const std::string& Scenario::description() const { return data_->description; }
const ScenarioSetup& Scenario::setup() const { return data_->setup; }
const std::filesystem::path& Scenario::path() const { return data_->path; }
const std::vector<std::string>& Scenario::contexts() const { return data_->contexts; }

ScenarioError::ScenarioError(std::vector<std::string> lines)
    : std::runtime_error(joined_lines(lines)), lines_(std::move(lines)) {}

Scenario load_scenario(const std::filesystem::path& file,
                       const std::vector<std::string>& contexts) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    throw ScenarioError({error_line(file.string(), {1, 1},
                                    std::string("cannot read the file: ") + std::strerror(errno))});
  }
  auto data = std::make_shared<ScenarioData>(parse_scenario(file.string(), text.str(), contexts));
  data->path = file;
  return Scenario(std::move(data));
}

}  // namespace eskit::run
