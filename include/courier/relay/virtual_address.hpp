#pragma once
/// \file
/// VirtualAddress: a client's address on the server's relay, independent of its real IP and
/// port. The server assigns one per client id on its first connection and keeps it (see
/// AddressBook). Shown as a dotted quad in 100.64.0.0/10 (the shared address space of RFC 6598),
/// which no client mistakes for its real address.

#include <compare>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace courier {

struct VirtualAddress {
  std::uint32_t value = 0;  ///< 0: none

  /// The first address an address book hands out (100.64.0.1), and the last (100.127.255.254).
  static constexpr std::uint32_t first = 0x64400001u;
  static constexpr std::uint32_t last = 0x647FFFFEu;

  [[nodiscard]] constexpr bool valid() const noexcept { return value >= first && value <= last; }
  friend constexpr auto operator<=>(const VirtualAddress&, const VirtualAddress&) = default;

  [[nodiscard]] std::string to_string() const {
    char text[16];
    std::snprintf(text, sizeof text, "%u.%u.%u.%u", value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF);
    return text;
  }

  /// Parses "a.b.c.d"; nullopt unless it is a valid virtual address.
  [[nodiscard]] static std::optional<VirtualAddress> parse(std::string_view text) noexcept {
    std::uint32_t v = 0;
    int parts = 0;
    std::size_t i = 0;
    while (parts < 4) {
      std::uint32_t part = 0;
      std::size_t digits = 0;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 3) {
        part = part * 10 + static_cast<std::uint32_t>(text[i] - '0');
        ++i;
        ++digits;
      }
      if (digits == 0 || part > 255) return std::nullopt;
      v = (v << 8) | part;
      if (++parts < 4) {
        if (i >= text.size() || text[i] != '.') return std::nullopt;
        ++i;
      }
    }
    if (i != text.size()) return std::nullopt;
    const VirtualAddress a{v};
    return a.valid() ? std::optional(a) : std::nullopt;
  }
};

}  // namespace courier
