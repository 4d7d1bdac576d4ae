#pragma once
/// \file
/// Strict hex parsing for keys and user data given on command lines and in configuration.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace courier {

namespace detail {
[[nodiscard]] constexpr int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace detail

/// Parses `hex` (digits only: no prefix, sign or spaces) into the first bytes of `out`.
/// Fails on an odd length, a non-hex digit, more bytes than `out` holds, or, when `exact`, fewer.
[[nodiscard]] constexpr bool parse_hex(std::string_view hex, std::span<std::uint8_t> out,
                                       bool exact = true) noexcept {
  const std::size_t n = hex.size() / 2;
  if (hex.size() % 2 != 0 || n > out.size() || (exact && n != out.size())) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const int high = detail::hex_digit(hex[2 * i]);
    const int low = detail::hex_digit(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return true;
}

}  // namespace courier
