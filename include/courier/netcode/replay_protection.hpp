#pragma once
/// \file
/// ReplayProtection: netcode's per-connection window of recently received sequences
/// (netcode.io 1.02 standard, 'Replay Protection'; docs/PROTOCOL.md Part 1 §8). The read path tests a sequence *before* decrypting and advances the window
/// only *after* a successful decrypt, so a forged packet can never move it.

#include <array>
#include <cstddef>
#include <cstdint>

#include "courier/netcode/constants.hpp"

namespace courier::netcode {

/// A window of `Size` sequences (netcode uses 256; `Size` must be a power of two >= 256).
template <std::size_t Size = replay_buffer_size>
class ReplayProtection {
  static_assert(Size >= 256 && (Size & (Size - 1)) == 0, "Size must be a power of two >= 256");

 public:
  static constexpr std::uint64_t empty = ~std::uint64_t{0};
  static constexpr std::size_t size = Size;

  ReplayProtection() noexcept { reset(); }

  /// Back to a fresh window: most recent 0, every slot empty.
  void reset() noexcept {
    most_recent_ = 0;
    received_.fill(empty);
  }

  /// True when `s` was seen already or is too old for the window. The age test is written so
  /// that it cannot overflow (the 2020 reference's `s + Size <= most_recent` wrapped near 2^64).
  /// Kept from the reference on purpose, for byte-exact interoperability: a slot holding
  /// 2^64-1 reads as empty, so a duplicate 2^64-1 is accepted again (unreachable in practice:
  /// a sender would need 2^64 packets).
  [[nodiscard]] bool already_received(std::uint64_t s) const noexcept {
    if (most_recent_ >= Size && s <= most_recent_ - Size) return true;
    const std::uint64_t entry = received_[s % Size];
    if (entry == empty) return false;
    return entry >= s;
  }

  /// Records `s` as received; call only after the packet authenticated.
  void advance(std::uint64_t s) noexcept {
    if (s > most_recent_) most_recent_ = s;
    received_[s % Size] = s;
  }

  [[nodiscard]] std::uint64_t most_recent() const noexcept { return most_recent_; }

 private:
  std::uint64_t most_recent_ = 0;
  std::array<std::uint64_t, Size> received_{};
};

/// True for the packet types the replay window covers: keep-alive, payload, disconnect.
[[nodiscard]] constexpr bool replay_protected(PacketType t) noexcept {
  return t == PacketType::keep_alive || t == PacketType::payload || t == PacketType::disconnect;
}

}  // namespace courier::netcode
