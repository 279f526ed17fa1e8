#include "eskit/generate/writer.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>

#include "eskit/generate/diff.hpp"
#include "eskit/generate/stamp.hpp"

namespace eskit::generate {

namespace fs = std::filesystem;

const char* spelling(Problem problem) {
  switch (problem) {
    case Problem::missing:
      return "missing";
    case Problem::stale:
      return "stale";
    case Problem::hand_edited:
      return "hand-edited";
    case Problem::extra:
      return "extra";
  }
  return "?";
}

namespace {

std::optional<std::string> read_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw fs::filesystem_error("cannot read", path,
                               std::make_error_code(std::errc::permission_denied));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

/// Writes `content` to `path`. With `atomic`, through a temporary file renamed over it, so the
/// path holds the old bytes or the new ones, never a part.
void write_file(const fs::path& path, const std::string& content, bool atomic) {
  fs::create_directories(path.parent_path());
  fs::path target = path;
  if (atomic) target += ".eskit-tmp";
  {
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      fs::remove(target, ignored);
      throw fs::filesystem_error("cannot write", target, std::make_error_code(std::errc::io_error));
    }
  }
  if (atomic) fs::rename(target, path);
}

/// Removes `dir` and its parents up to (not including) `root` while they are empty.
void prune_empty(fs::path dir, const fs::path& root) {
  std::error_code ec;
  while (dir != root && dir.has_relative_path() && fs::is_directory(dir, ec) &&
         fs::is_empty(dir, ec)) {
    fs::remove(dir, ec);
    dir = dir.parent_path();
  }
}

struct Manifest {
  std::set<std::string> generated;
  std::set<std::string> user;
};

Manifest read_manifest(const fs::path& root) {
  Manifest m;
  auto text = read_file(root / manifest_name);
  if (!text) return m;
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("gen ", 0) == 0) m.generated.insert(line.substr(4));
    if (line.rfind("user ", 0) == 0) m.user.insert(line.substr(5));
  }
  return m;
}

std::string manifest_text(const Manifest& m) {
  std::string out = "# Written by eskit generate: the files it made here. Do not edit.\n";
  for (const auto& p : m.generated) out += "gen " + p + "\n";
  for (const auto& p : m.user) out += "user " + p + "\n";
  return out;
}

/// Every regular file under the gen/ directories the plan writes into, relative to root.
std::set<std::string> files_in_gen_dirs(const Plan& plan, const fs::path& root) {
  std::set<std::string> gen_dirs;
  for (const auto& f : plan.files) {
    if (f.role != FileRole::generated) continue;
    auto at = f.path.find("gen/");
    if (at != std::string::npos && (at == 0 || f.path[at - 1] == '/'))
      gen_dirs.insert(f.path.substr(0, at + 3));
  }
  std::set<std::string> out;
  for (const auto& dir : gen_dirs) {
    std::error_code ec;
    if (!fs::is_directory(root / dir, ec)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      if (entry.is_regular_file())
        out.insert(entry.path().lexically_relative(root).generic_string());
    }
  }
  return out;
}

}  // namespace

WriteReport apply(const Plan& plan, const fs::path& root, WriteMode mode) {
  const bool writing = mode == WriteMode::write;
  WriteReport report;
  const Manifest before = read_manifest(root);
  Manifest after;
  std::set<std::string> planned;

  for (const auto& file : plan.files) {
    planned.insert(file.path);
    const fs::path path = root / file.path;
    const std::optional<std::string> current = read_file(path);
    if (file.role == FileRole::user) {
      after.user.insert(file.path);
      if (current) {
        ++report.unchanged;  // the team's from now on, whatever it holds
        continue;
      }
      report.created.push_back(file.path);
      report.findings.push_back({file.path, Problem::missing});
      if (mode == WriteMode::dry_run)
        report.diff += unified_diff("/dev/null", "b/" + file.path, "", file.content);
      // Atomic: a torn stub would pass for the team's file and never be written again.
      if (writing) write_file(path, file.content, true);
      continue;
    }
    after.generated.insert(file.path);
    if (current && *current == file.content) {
      ++report.unchanged;
      continue;
    }
    if (!current) {
      report.findings.push_back({file.path, Problem::missing});
    } else if (inspect(*current) == StampState::intact) {
      report.findings.push_back({file.path, Problem::stale});
    } else {
      report.findings.push_back({file.path, Problem::hand_edited});
      report.overwritten.push_back(file.path);
    }
    report.written.push_back(file.path);
    if (mode == WriteMode::dry_run) {
      report.diff += unified_diff(current ? "a/" + file.path : "/dev/null", "b/" + file.path,
                                  current.value_or(""), file.content);
    }
    // A new generated file needs no rename: torn, its hash would not match and the next run
    // rewrites it. One that replaces a good file does, so a crash cannot leave a worse one.
    if (writing) write_file(path, file.content, current.has_value());
  }

  // Generated files that left the model: the manifest's and any stamped file under gen/.
  std::set<std::string> leftover;
  for (const auto& p : before.generated)
    if (!planned.count(p) && fs::exists(root / p)) leftover.insert(p);
  for (const auto& p : files_in_gen_dirs(plan, root)) {
    if (planned.count(p) || leftover.count(p)) continue;
    auto text = read_file(root / p);
    if (text && inspect(*text) != StampState::unstamped) {
      leftover.insert(p);
    } else {
      report.foreign.push_back(p);
    }
  }
  for (const auto& p : leftover) {
    report.deleted.push_back(p);
    report.findings.push_back({p, Problem::extra});
    if (mode == WriteMode::dry_run)
      report.diff += unified_diff("a/" + p, "/dev/null", read_file(root / p).value_or(""), "");
    if (writing) {
      fs::remove(root / p);
      prune_empty((root / p).parent_path(), root);
    }
  }
  // User files whose element left the model stay, and stay listed, until the team deletes them.
  for (const auto& p : before.user) {
    if (planned.count(p) || !fs::exists(root / p)) continue;
    report.orphaned.push_back(p);
    after.user.insert(p);
  }

  std::sort(report.findings.begin(), report.findings.end(),
            [](const Finding& a, const Finding& b) { return a.path < b.path; });
  if (writing) {
    const std::string manifest = manifest_text(after);
    if (read_file(root / manifest_name) != manifest)
      write_file(root / manifest_name, manifest, true);
  }
  return report;
}

}  // namespace eskit::generate
