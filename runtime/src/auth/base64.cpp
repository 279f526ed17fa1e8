#include "base64.hpp"

#include <array>
#include <cstdint>

namespace eskit::runtime::auth::detail {

namespace {

constexpr std::string_view url_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view standard_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string_view chars_of(Alphabet alphabet) {
  return alphabet == Alphabet::url ? url_chars : standard_chars;
}

using DecodeTable = std::array<std::int8_t, 256>;

constexpr DecodeTable decode_table(std::string_view chars) {
  DecodeTable table{};
  for (auto& entry : table) entry = -1;
  for (std::size_t i = 0; i < chars.size(); ++i)
    table[static_cast<unsigned char>(chars[i])] = static_cast<std::int8_t>(i);
  return table;
}

constexpr DecodeTable url_table = decode_table(url_chars);
constexpr DecodeTable standard_table = decode_table(standard_chars);

}  // namespace

std::string base64_encode(std::string_view bytes, Alphabet alphabet) {
  std::string_view chars = chars_of(alphabet);
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  auto byte = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += chars[n >> 18 & 63];
    out += chars[n >> 12 & 63];
    out += chars[n >> 6 & 63];
    out += chars[n & 63];
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    std::uint32_t n = byte(i) << 16;
    out += chars[n >> 18 & 63];
    out += chars[n >> 12 & 63];
  } else if (rest == 2) {
    std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8;
    out += chars[n >> 18 & 63];
    out += chars[n >> 12 & 63];
    out += chars[n >> 6 & 63];
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text, Alphabet alphabet) {
  const DecodeTable& table = alphabet == Alphabet::url ? url_table : standard_table;
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (char c : text) {
    std::int8_t v = table[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    bits = bits << 6 | static_cast<std::uint32_t>(v);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out += static_cast<char>(bits >> bit_count & 0xFF);
    }
  }
  // Leftover bits must be zero: otherwise "QQ" and "QR" would both decode to "A", so one
  // signature would have several spellings and an altered token would still verify.
  if ((bits & ((1u << bit_count) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace eskit::runtime::auth::detail
