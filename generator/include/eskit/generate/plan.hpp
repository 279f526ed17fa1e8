// What one generation run wants on disk: every file's path and bytes, and whose file it is.
#pragma once

#include <string>
#include <vector>

namespace eskit::generate {

enum class FileRole {
  /// Under gen/: eskit's, stamped with a header and a hash, rewritten whenever it changes.
  generated,
  /// Under src/: the team's, created once as a stub when missing and never written again.
  user,
};

struct PlannedFile {
  std::string path;  // relative to the output directory, `/` separators
  std::string content;
  FileRole role = FileRole::generated;
};

/// Files sorted by path, each path once.
struct Plan {
  std::vector<PlannedFile> files;
};

}  // namespace eskit::generate
