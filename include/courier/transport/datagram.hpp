#pragma once
/// \file
/// Datagram: one received datagram in a fixed buffer, so receiving never allocates.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "courier/transport/address.hpp"

namespace courier {

/// Largest datagram a transport delivers. courier itself never sends more than 1225 bytes
/// (netcode's 1 + 8 + 1200 + 16); larger incoming datagrams are dropped as too large.
inline constexpr std::size_t max_datagram_bytes = 1500;

struct Datagram {
  Address from;
  std::size_t size = 0;
  std::array<std::byte, max_datagram_bytes> data;

  [[nodiscard]] std::span<const std::byte> bytes() const noexcept { return {data.data(), size}; }
};

}  // namespace courier
