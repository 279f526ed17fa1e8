#include "report.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "eskit/runtime/text/join.hpp"
#include "matcher.hpp"

namespace eskit::run {
namespace json = boost::json;

namespace {

constexpr const char* bold = "1";
constexpr const char* dim = "2";
constexpr const char* red = "31";
constexpr const char* green = "32";
constexpr const char* yellow = "33";
constexpr const char* bold_cyan = "1;36";

void pretty(const Json& value, int indent, std::vector<std::string>& lines, std::string prefix) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  auto scalar_or_empty = [&](const Json& v) {
    return !(v.is_object() && !v.get_object().empty()) && !(v.is_array() && !v.get_array().empty());
  };
  if (scalar_or_empty(value)) {
    lines.push_back(pad + prefix + json_text(value));
    return;
  }
  const bool object = value.is_object();
  lines.push_back(pad + prefix + (object ? "{" : "["));
  const std::size_t size = object ? value.get_object().size() : value.get_array().size();
  std::size_t k = 0;
  auto item = [&](const Json& v, std::string key) {
    pretty(v, indent + 1, lines, std::move(key));
    if (++k < size) lines.back() += ",";
  };
  if (object) {
    for (const auto& [key, v] : value.get_object())
      item(v, json::serialize(json::string_view(key)) + ": ");
  } else {
    for (const auto& v : value.get_array()) item(v, "");
  }
  lines.push_back(pad + (object ? "}" : "]"));
}

std::string milliseconds(Millis elapsed) {
  if (elapsed.count() < 10'000) return std::to_string(elapsed.count()) + " ms";
  std::ostringstream text;
  text << std::fixed << std::setprecision(1) << static_cast<double>(elapsed.count()) / 1000.0
       << " s";
  return text.str();
}

// `text` in lines of at most `width` columns (a longer word keeps a line of its own), each
// after `indent`: prose a room reads from a projector.
std::string wrapped(const std::string& text, std::size_t width, const std::string& indent) {
  std::string out;
  std::istringstream paragraphs(text);
  for (std::string paragraph; std::getline(paragraphs, paragraph);) {
    std::istringstream words(paragraph);
    std::string line;
    for (std::string word; words >> word;) {
      // Columns, not bytes: UTF-8 continuation bytes take no room.
      auto columns = [](const std::string& t) {
        return static_cast<std::size_t>(std::count_if(t.begin(), t.end(), [](char c) {
          return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        }));
      };
      if (!line.empty() && columns(line) + 1 + columns(word) > width) {
        out += indent + line + '\n';
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
    }
    out += indent + line + '\n';
  }
  return out;
}

}  // namespace

std::string pretty_json(const Json& value, std::size_t max_lines) {
  std::vector<std::string> lines;
  pretty(value, 0, lines, "");
  std::string out;
  for (std::size_t k = 0; k < lines.size() && k < max_lines; ++k) {
    if (k > 0) out += '\n';
    out += lines[k];
  }
  if (lines.size() > max_lines)
    out += "\n… " + std::to_string(lines.size() - max_lines) + " more lines";
  return out;
}

std::string Report::paint(const std::string& text, const char* code) const {
  if (!color_) return text;
  return std::string("\x1b[") + code + "m" + text + "\x1b[0m";
}

void Report::begin(const ScenarioData& data) {
  out_ << paint("▶ " + data.title, bold);
  if (!data.proves.empty()) {
    std::string ids;
    for (const auto& id : data.proves) ids += (ids.empty() ? "" : ", ") + id;
    out_ << paint("  (proves " + ids + ")", dim);
  }
  out_ << '\n';
  if (narrate_ && !data.description.empty()) out_ << wrapped(data.description, 94, "  ");
  if (narrate_) out_ << '\n';
}

void Report::say(const std::string& text) {
  if (narrate_) {
    // The first line carries the marker; the rest line up under its text.
    std::string lines = wrapped(text, 92, "    ");
    lines.replace(0, 4, "  » ");
    lines.pop_back();
    std::istringstream each(lines);
    out_ << '\n';
    for (std::string line; std::getline(each, line);) out_ << paint(line, bold_cyan) << '\n';
  } else {
    out_ << paint("  # " + text, dim) << '\n';
  }
}

void Report::request(const std::string& text) {
  if (narrate_) out_ << paint("      → ", dim) << text << '\n';
}

void Report::answer(const std::string& text) {
  if (narrate_) out_ << paint("      ← ", dim) << text << '\n';
}

void Report::published(const SeenEvent& event) {
  if (!narrate_) return;
  out_ << paint("      ⚡ ", yellow) << paint(event.context, bold) << " published "
       << paint(event.type, bold) << ' ' << paint(short_json(event.data, 90), dim) << '\n';
}

void Report::handled(const std::string& context, const std::string& type, std::int64_t count,
                     const std::vector<std::string>& subscriptions) {
  if (!narrate_) return;
  out_ << paint("      ↳ ", green) << paint(context, bold) << " handled " << paint(type, bold)
       << (count > 1 ? " ×" + std::to_string(count) : "") << ' '
       << paint("(" + runtime::text::join(subscriptions, ", ") + ")", dim) << '\n';
}

void Report::step(bool held, const std::string& what, const std::string& observed, Millis elapsed) {
  out_ << "  " << (held ? paint("✓", green) : paint("✗", red)) << ' ' << what;
  if (!observed.empty()) out_ << " → " << observed;
  out_ << paint(" · " + milliseconds(elapsed), dim) << '\n';
}

void Report::detail(const std::string& label, const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  bool first = true;
  const std::string indent(6 + 10, ' ');
  while (std::getline(lines, line) || first) {
    if (first) {
      std::string head = label;
      head.resize(std::max<std::size_t>(head.size() + 1, 10), ' ');
      out_ << "      " << paint(head, red) << line << '\n';
      first = false;
    } else {
      out_ << indent << line << '\n';
    }
  }
}

void Report::note(const std::string& text) { out_ << paint("      " + text, dim) << '\n'; }

void Report::end(bool held, int steps_held, int steps, Millis elapsed,
                 const std::string& failed_at) {
  if (narrate_) out_ << '\n';
  if (held) {
    out_ << paint("✓ every step held", green) << " (" << steps << " steps, "
         << milliseconds(elapsed) << ")\n";
  } else {
    out_ << paint("✗ step " + std::to_string(steps_held + 1) + " of " + std::to_string(steps) +
                      " failed",
                  red)
         << " at " << failed_at << " (" << milliseconds(elapsed) << ")\n";
  }
}

}  // namespace eskit::run
