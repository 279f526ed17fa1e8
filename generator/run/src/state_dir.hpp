#pragma once
// The directory a run keeps its databases and logs in (docs/run.md). A run holds it for its
// whole life: the next run empties it, so a second run of the same system would otherwise
// delete the databases under the first one's live services.
#include <filesystem>
#include <optional>
#include <string>

namespace eskit::run {

class StateDir {
 public:
  // Takes `dir` for this process and empties it. Refuses (with the reason in `error`) a
  // directory that is not empty and was not made by eskit run, and one another run holds.
  static std::optional<StateDir> claim(const std::filesystem::path& dir, std::string& error);

  StateDir(StateDir&& other) noexcept;
  StateDir& operator=(StateDir&& other) noexcept;
  StateDir(const StateDir&) = delete;
  StateDir& operator=(const StateDir&) = delete;
  ~StateDir();  // lets the next run have it; the contents stay for reading

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  StateDir(std::filesystem::path path, int lock_fd) : path_(std::move(path)), lock_fd_(lock_fd) {}

  std::filesystem::path path_;
  int lock_fd_ = -1;  // the marker file, flock()ed: released by the kernel if we die
};

}  // namespace eskit::run
