// Text inside diagram boxes: a deliberately pessimistic width estimate, so that wrapped text
// stays inside its box whatever sans-serif font the viewer substitutes. The table is repeated
// in tests/diagram/check_diagrams.py; keep the two in step.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace eskit::diagram {

inline constexpr int font_size = 13;
inline constexpr int line_height = 16;

/// Estimated advance of `text` in pixels at `font_size`, rounded up.
int text_width(std::string_view text);

/// `PassengerCallRequested` -> {"Passenger", "Call", "Requested"}; runs of capitals stay
/// together (`HTTPServer` -> {"HTTP", "Server"}).
std::vector<std::string> split_words(std::string_view name);

/// Lines of at most `max_width` estimated pixels; a word wider than a line is cut.
std::vector<std::string> wrap(std::string_view name, int max_width);

}  // namespace eskit::diagram
