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

/// A window of `Size` sequences (netcode uses 256; `Size` must be a power of two >= 256), kept
/// as one bit per sequence: the standard describes a table of `Size` 64-bit sequence numbers,
/// 2 KiB per connection; a bit each gives the same answers in 32 bytes (each bit stands for the
/// one sequence of the window that falls on it, cleared as the window slides past).
template <std::size_t Size = replay_buffer_size>
class ReplayProtection {
  static_assert(Size >= 256 && (Size & (Size - 1)) == 0, "Size must be a power of two >= 256");

 public:
  static constexpr std::size_t size = Size;
  /// The one sequence never recorded (the reference's empty-slot marker; see already_received).
  static constexpr std::uint64_t unrecorded = ~std::uint64_t{0};

  ReplayProtection() noexcept = default;

  /// Back to a fresh window: most recent 0, nothing received.
  void reset() noexcept {
    most_recent_ = 0;
    bits_.fill(0);
  }

  /// True when `s` was seen already or is too old for the window. The age test is written so
  /// that it cannot overflow (the 2020 reference's `s + Size <= most_recent` wrapped near 2^64).
  /// Kept from the reference on purpose, for byte-exact interoperability: the reference marks
  /// empty slots with 2^64-1, so a duplicate 2^64-1 is accepted again; here 2^64-1 is never
  /// marked (unreachable in practice: a sender would need 2^64 packets).
  [[nodiscard]] bool already_received(std::uint64_t s) const noexcept {
    if (too_old(s)) return true;
    return s <= most_recent_ && marked(s);
  }

  /// Records `s` as received; call only after the packet authenticated.
  void advance(std::uint64_t s) noexcept {
    if (s > most_recent_) {
      forget_up_to(s);
      most_recent_ = s;
    } else if (too_old(s)) {
      return;
    }
    if (s != unrecorded) bits_[(s % Size) / 64] |= std::uint64_t{1} << (s % 64);
  }

  [[nodiscard]] std::uint64_t most_recent() const noexcept { return most_recent_; }

 private:
  [[nodiscard]] bool too_old(std::uint64_t s) const noexcept { return most_recent_ >= Size && s <= most_recent_ - Size; }
  [[nodiscard]] bool marked(std::uint64_t s) const noexcept { return (bits_[(s % Size) / 64] >> (s % 64)) & 1u; }

  // The window slides to end at `s`: the bits of most_recent_+1 .. s stood for sequences that
  // now fall out of it.
  void forget_up_to(std::uint64_t s) noexcept {
    if (s - most_recent_ >= Size) {
      bits_.fill(0);
      return;
    }
    for (std::uint64_t x = most_recent_ + 1; x <= s && x != 0; ++x)
      bits_[(x % Size) / 64] &= ~(std::uint64_t{1} << (x % 64));
  }

  std::uint64_t most_recent_ = 0;
  std::array<std::uint64_t, Size / 64> bits_{};
};

/// True for the packet types the replay window covers: keep-alive, payload, disconnect.
[[nodiscard]] constexpr bool replay_protected(PacketType t) noexcept {
  return t == PacketType::keep_alive || t == PacketType::payload || t == PacketType::disconnect;
}

}  // namespace courier::netcode
