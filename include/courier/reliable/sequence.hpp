#pragma once
/// \file
/// 16-bit sequence arithmetic with wrap-around. Packet and message sequences count modulo 65 536;
/// "newer" means less than half the circle ahead, so any window smaller than 32 768 compares
/// correctly across the wrap.

#include <cstdint>

namespace courier {

/// True when `a` is newer than `b` (ahead by 1 .. 32 767 modulo 65 536).
[[nodiscard]] constexpr bool sequence_greater_than(std::uint16_t a, std::uint16_t b) noexcept {
  return a != b && static_cast<std::uint16_t>(a - b) < 32768u;
}

/// True when `a` is older than `b`.
[[nodiscard]] constexpr bool sequence_less_than(std::uint16_t a, std::uint16_t b) noexcept {
  return sequence_greater_than(b, a);
}

/// How far `a` is ahead of `b` modulo 65 536 (0 .. 65 535).
[[nodiscard]] constexpr std::uint16_t sequence_distance(std::uint16_t a, std::uint16_t b) noexcept {
  return static_cast<std::uint16_t>(a - b);
}

}  // namespace courier
