#pragma once
// The terminal of `eskit run`: every process's lines prefixed by its padded, coloured name,
// and eskit-run's own notes, one whole line at a time from any thread.
#include <iosfwd>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace eskit::run {

class Console {
 public:
  // `echo`: print the processes' lines (off with --quiet and while a scenario plays; the log
  // files get them anyway). `color`: ANSI colours.
  Console(std::ostream& out, std::ostream& err, bool echo, bool color);

  // Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org).
  [[nodiscard]] static bool color_wanted(int fd);

  // Names are padded to the longest one announced, so the columns line up.
  void announce(const std::vector<std::string>& names);
  void line(std::string_view name, std::string_view text);
  void note(std::string_view text);   // to out
  void error(std::string_view text);  // to err, always shown
  [[nodiscard]] bool color() const { return color_; }

 private:
  std::string prefix(std::string_view name);

  std::ostream& out_;
  std::ostream& err_;
  const bool echo_;
  const bool color_;
  std::size_t width_ = 0;
  std::map<std::string, int, std::less<>> colours_;
  std::mutex mutex_;
};

}  // namespace eskit::run
