// Applies a Plan to an output directory, keeping the generation gap: generated files are
// rewritten when (and only when) their bytes change, user stubs are created once and never
// touched again, and nothing the team wrote is ever deleted.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "eskit/generate/plan.hpp"

namespace eskit::generate {

enum class WriteMode {
  write,    // bring the directory up to date
  check,    // write nothing; report every file that a write would change
  dry_run,  // write nothing; describe the changes as a unified diff
};

enum class Problem {
  missing,      // planned, not on disk
  stale,        // eskit's and untouched, but the model now says something else
  hand_edited,  // a generated file changed by hand (its hash no longer matches)
  extra,        // a generated file no longer planned: the model element left
};

const char* spelling(Problem problem);

struct Finding {
  std::string path;
  Problem problem;
};

struct WriteReport {
  std::vector<std::string> written;      // generated files created or rewritten
  std::vector<std::string> created;      // user stubs created
  std::vector<std::string> deleted;      // generated files that left the model
  std::vector<std::string> overwritten;  // hand-edited generated files replaced (or to be)
  std::vector<std::string> orphaned;     // user files whose model element left; kept
  std::vector<std::string> foreign;      // unknown files under gen/, left alone
  std::vector<Finding> findings;         // every difference from the plan, by path
  std::size_t unchanged = 0;             // files already as planned
  std::string diff;                      // dry_run: the changes, as a unified diff
};

/// The record of what eskit generated into a directory, so that a later run knows which
/// files left the model. Sorted lines `gen PATH` and `user PATH`.
inline constexpr const char* manifest_name = ".eskit-manifest";

/// Throws std::filesystem::filesystem_error when a file cannot be read or written. Files that
/// replace others, stubs and the manifest are renamed into place complete; a torn new generated
/// file fails its hash and is rewritten by the next run.
WriteReport apply(const Plan& plan, const std::filesystem::path& root, WriteMode mode);

}  // namespace eskit::generate
