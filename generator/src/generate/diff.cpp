#include "eskit/generate/diff.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace eskit::generate {

namespace {

constexpr std::size_t context_lines = 3;
// Above this many cells the line table would cost more than the diff is worth: the files are
// then shown as one replacement hunk, still a correct diff.
constexpr std::size_t max_table_cells = std::size_t{1} << 24;

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

enum class Op : std::uint8_t { keep, remove, add };

struct Edit {
  Op op;
  std::size_t a;  // line index in before (keep, remove)
  std::size_t b;  // line index in after (keep, add)
};

/// The edit script of a longest common subsequence of lines.
std::vector<Edit> edit_script(const std::vector<std::string_view>& a,
                              const std::vector<std::string_view>& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<Edit> edits;
  if ((n + 1) * (m + 1) > max_table_cells) {
    for (std::size_t i = 0; i < n; ++i) edits.push_back({Op::remove, i, 0});
    for (std::size_t j = 0; j < m; ++j) edits.push_back({Op::add, n, j});
    return edits;
  }
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      edits.push_back({Op::keep, i++, j++});
    } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
      edits.push_back({Op::remove, i++, j});  // removals first, as diff -u shows a change
    } else {
      edits.push_back({Op::add, i, j++});
    }
  }
  return edits;
}

std::string range(std::size_t start, std::size_t count) {
  // diff -u numbers lines from 1 and writes an empty range as the line before it.
  std::string out = std::to_string(count == 0 ? start : start + 1);
  if (count != 1) out += "," + std::to_string(count);
  return out;
}

}  // namespace

std::string unified_diff(std::string_view old_name, std::string_view new_name,
                         std::string_view before, std::string_view after) {
  if (before == after) return {};
  const auto a = split_lines(before);
  const auto b = split_lines(after);
  const std::vector<Edit> edits = edit_script(a, b);

  std::string out;
  out.append("--- ").append(old_name).append("\n+++ ").append(new_name).append("\n");
  std::size_t k = 0;
  while (k < edits.size()) {
    while (k < edits.size() && edits[k].op == Op::keep) ++k;
    if (k == edits.size()) break;
    // A hunk: changes closer than twice the context apart share one.
    std::size_t start = k >= context_lines ? k - context_lines : 0;
    std::size_t end = k;
    std::size_t trailing = 0;  // unchanged lines at the end of the hunk so far
    while (end < edits.size()) {
      if (edits[end].op == Op::keep) {
        if (trailing == 2 * context_lines) break;
        ++trailing;
      } else {
        trailing = 0;
      }
      ++end;
    }
    if (trailing > context_lines) end -= trailing - context_lines;
    std::size_t a_count = 0, b_count = 0;
    for (std::size_t e = start; e < end; ++e) {
      a_count += edits[e].op != Op::add;
      b_count += edits[e].op != Op::remove;
    }
    out.append("@@ -")
        .append(range(edits[start].a, a_count))
        .append(" +")
        .append(range(edits[start].b, b_count))
        .append(" @@\n");
    for (std::size_t e = start; e < end; ++e) {
      const Edit& d = edits[e];
      out += d.op == Op::keep ? ' ' : d.op == Op::remove ? '-' : '+';
      out.append(d.op == Op::add ? b[d.b] : a[d.a]).append("\n");
    }
    k = end;
  }
  return out;
}

}  // namespace eskit::generate
