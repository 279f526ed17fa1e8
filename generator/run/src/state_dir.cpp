#include "state_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

namespace eskit::run {
namespace {

namespace fs = std::filesystem;

constexpr const char* marker_name = ".eskit-run";

// The holder's process id, as the marker records it; empty when it does not say.
std::string holder_of(const fs::path& marker) {
  std::ifstream in(marker);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("pid ", 0) == 0) return line.substr(4);
  return {};
}

}  // namespace

std::optional<StateDir> StateDir::claim(const fs::path& dir, std::string& error) {
  std::error_code ec;
  const auto marker = dir / marker_name;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec) && !fs::exists(marker, ec)) {
    error = dir.string() +
            " is not empty and was not made by eskit run; give an empty or new "
            "--state-dir";
    return std::nullopt;
  }
  fs::create_directories(dir, ec);
  if (ec) {
    error = dir.string() + ": " + ec.message();
    return std::nullopt;
  }
  // Close-on-exec: a service that outlives its supervisor must not keep the run's claim.
  const int fd = ::open(marker.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = marker.string() + ": " + std::strerror(errno);
    return std::nullopt;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int why = errno;
    ::close(fd);
    if (why != EWOULDBLOCK) {
      error = marker.string() + ": " + std::strerror(why);
      return std::nullopt;
    }
    const auto pid = holder_of(marker);
    error = "another eskit run" + (pid.empty() ? std::string() : " (process " + pid + ")") +
            " is using " + dir.string() + "; stop it first, or give this run its own --state-dir";
    return std::nullopt;
  }
  StateDir held(dir, fd);
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path() != marker) fs::remove_all(entry.path(), ec);
  if (ec) {
    error = dir.string() + ": " + ec.message();
    return std::nullopt;
  }
  std::ostringstream text;
  text << "eskit run state: databases and logs of the last run; emptied on the next\n"
       << "pid " << ::getpid() << '\n';
  const auto contents = text.str();
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, contents.data(), contents.size(), 0) != static_cast<ssize_t>(contents.size())) {
    error = marker.string() + ": " + std::strerror(errno);
    return std::nullopt;
  }
  return held;
}

StateDir::StateDir(StateDir&& other) noexcept
    : path_(std::move(other.path_)), lock_fd_(std::exchange(other.lock_fd_, -1)) {}

StateDir& StateDir::operator=(StateDir&& other) noexcept {
  if (this != &other) {
    if (lock_fd_ >= 0) ::close(lock_fd_);
    path_ = std::move(other.path_);
    lock_fd_ = std::exchange(other.lock_fd_, -1);
  }
  return *this;
}

StateDir::~StateDir() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // closing the last descriptor releases the flock
}

}  // namespace eskit::run
