#include "eskit/run/console.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ostream>

namespace eskit::run {

namespace {

// Readable on dark and light backgrounds; red is kept for errors.
constexpr int palette[] = {36, 32, 33, 35, 34, 96, 92, 93, 95, 94};

std::string base_name(std::string_view name) {
  // Replicas (caller#2) share their context's colour.
  return std::string(name.substr(0, name.find('#')));
}

}  // namespace

Console::Console(std::ostream& out, std::ostream& err, bool echo, bool color)
    : out_(out), err_(err), echo_(echo), color_(color) {}

bool Console::color_wanted(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(fd) == 1 && (no_color == nullptr || *no_color == '\0');
}

void Console::announce(const std::vector<std::string>& names) {
  std::lock_guard lock(mutex_);
  for (const auto& n : names) {
    width_ = std::max(width_, n.size() + 2);  // room for a replica's "#2"
    const auto base = base_name(n);
    if (colours_.find(base) == colours_.end()) {
      const int index = static_cast<int>(colours_.size()) % static_cast<int>(std::size(palette));
      colours_.emplace(base, palette[index]);
    }
  }
}

std::string Console::prefix(std::string_view name) {
  std::string padded(name);
  if (padded.size() < width_) padded.append(width_ - padded.size(), ' ');
  if (!color_) return padded + " | ";
  const auto it = colours_.find(base_name(name));
  const int colour = it == colours_.end() ? 37 : it->second;
  return "\x1b[" + std::to_string(colour) + "m" + padded + " |\x1b[0m ";
}

void Console::line(std::string_view name, std::string_view text) {
  std::lock_guard lock(mutex_);
  if (!echo_) return;
  out_ << prefix(name) << text << '\n' << std::flush;
}

void Console::note(std::string_view text) {
  std::lock_guard lock(mutex_);
  out_ << text << '\n' << std::flush;
}

void Console::error(std::string_view text) {
  std::lock_guard lock(mutex_);
  out_ << std::flush;
  if (color_)
    err_ << "\x1b[1;31m" << text << "\x1b[0m\n" << std::flush;
  else
    err_ << text << '\n' << std::flush;
}

}  // namespace eskit::run
