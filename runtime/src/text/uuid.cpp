#include "eskit/runtime/text/uuid.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace eskit::runtime::text {

std::string new_uuid() {
  // One generator per thread: random_device is slow and may block; mt19937_64 seeded from it
  // is fast and needs no lock.
  thread_local std::mt19937_64 generator{(std::uint64_t{std::random_device{}()} << 32) ^
                                         std::random_device{}()};
  std::array<unsigned char, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    const std::uint64_t r = generator();
    for (std::size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<unsigned char>(r >> (8 * j));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += hex[bytes[i] >> 4];
    text += hex[bytes[i] & 0x0F];
  }
  return text;
}

}  // namespace eskit::runtime::text
