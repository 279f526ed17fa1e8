// Diagnostics: what the checker says about a model, in a form both people and CI read.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "eskit/model/source.hpp"
#include "eskit/runtime/text/did_you_mean.hpp"

namespace eskit::model {

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  Location where;
  std::string message;
  /// A suggestion printed after the message, e.g. "did you mean 'CallPaid'?".
  std::string hint;
};

/// Collects every diagnostic of a run; stages add to it and never stop at the first error.
class Diagnostics {
 public:
  void error(Location where, std::string message, std::string hint = {});
  void warning(Location where, std::string message, std::string hint = {});

  const std::vector<Diagnostic>& all() const { return items_; }
  std::size_t error_count() const { return errors_; }
  std::size_t warning_count() const { return items_.size() - errors_; }
  bool has_errors() const { return errors_ > 0; }
  /// Orders diagnostics by file, line and column, as a compiler prints them.
  void sort();

 private:
  std::vector<Diagnostic> items_;
  std::size_t errors_ = 0;
};

enum class ErrorFormat { text, json, github };

/// Writes diagnostics in the chosen format:
///  - text:   `path:line:col: error: message`, the source line, a caret, and the hint;
///  - json:   one JSON array of objects {file, line, column, severity, message, hint};
///  - github: workflow commands (`::error file=...,line=...,col=...::message`) for annotations.
/// `color` only affects the text format.
void render(std::ostream& out, const std::vector<Diagnostic>& diagnostics, ErrorFormat format,
            bool color = false);

/// "did you mean 'x'?" for the candidate closest to `name`, or empty if none is close.
using ::eskit::runtime::text::did_you_mean;

}  // namespace eskit::model
