// `eskit validate FILE...`: check models and report every problem at once.
#pragma once

#include <string>
#include <vector>

#include "eskit/model/diagnostic.hpp"

namespace CLI {
class App;
}

namespace eskit::cli {

struct ValidateOptions {
  std::vector<std::string> files;
  std::string format = "text";
  std::string color = "auto";
  bool werror = false;
  bool quiet = false;
};

void add_validate_command(CLI::App& app, ValidateOptions& options);

/// Returns the exit status: 0 all valid, 1 model errors, 2 a file could not be read.
int run_validate(const ValidateOptions& options);

}  // namespace eskit::cli
