#include "scenario_test_support.hpp"

namespace eskit::run::test {

Scenario scenario(const std::string& text, const std::vector<std::string>& contexts) {
  return Scenario(std::make_shared<const ScenarioData>(parse_scenario("s.yaml", text, contexts)));
}

std::vector<std::string> problems(const std::string& text,
                                  const std::vector<std::string>& contexts) {
  try {
    parse_scenario("s.yaml", text, contexts);
  } catch (const ScenarioError& error) {
    return error.lines();
  }
  return {};
}

std::string FakeSystem::token(std::string_view subject,
                              const std::vector<std::string>& roles) const {
  std::string text = "token:" + std::string(subject) + ":";
  for (const auto& role : roles) text += role + ",";
  return text;
}

Played play_text(const Scenario& scenario, SystemControl& system, PlayOptions options) {
  std::ostringstream out;
  options.out = &out;
  Played played;
  played.held = play(scenario, system, options);
  played.output = out.str();
  return played;
}

}  // namespace eskit::run::test
