#pragma once
/// \file
/// Why a datagram or message from the network was dropped. Drops are never silent: every layer
/// counts them by reason in a DropCounters and exposes the counters in its stats.

#include <array>
#include <cstddef>
#include <cstdint>

namespace courier {

enum class DropReason : std::uint8_t {
  too_small,            ///< shorter than the smallest valid datagram
  too_large,            ///< longer than the largest valid datagram
  unknown_type,         ///< the type field names no known packet or block
  wrong_direction,      ///< a valid type that this side never accepts
  bad_sequence_bytes,   ///< a sequence-length field outside its range
  replayed,             ///< already received, or older than the replay window
  decrypt_failed,       ///< authentication failed: tampered, wrong key or forged
  bad_size,             ///< authenticated, but the decrypted size is wrong for its type
  unknown_sender,       ///< no connection or encryption mapping for this address
  protocol_mismatch,    ///< another protocol id or version
  token_expired,        ///< the connect token's expiry has passed
  token_invalid,        ///< the connect token does not decrypt or parse
  token_reused,         ///< a connect token already used from another address, or consumed
  address_mismatch,     ///< the token does not list this server's public address
  already_connected,    ///< this address or client id already holds a slot
  server_full,          ///< no free slot (answered with a denied packet)
  table_full,           ///< a bounded table (mappings, reassembly) is full
  queue_full,           ///< a bounded receive queue is full
  malformed,            ///< the payload does not decode
  stale,                ///< older than what was already delivered (sequenced channels)
  duplicate,            ///< delivered already
  out_of_window,        ///< outside the range the receiver can buffer
  token_predates_start, ///< the connect token may have been issued before this server started
  request_rate,         ///< a source's connection requests above its rate (refused before decryption)
  request_budget,       ///< connection requests above one update's budget of decryptions
  incomplete,           ///< a fragmented unreliable message whose missing fragments will never come
  count_                ///< number of reasons; not a reason
};

inline constexpr std::size_t drop_reason_count = static_cast<std::size_t>(DropReason::count_);

[[nodiscard]] constexpr const char* describe(DropReason r) noexcept {
  constexpr std::array<const char*, drop_reason_count> names = {
      "too small", "too large", "unknown type", "wrong direction", "bad sequence bytes",
      "replayed", "decrypt failed", "bad size", "unknown sender", "protocol mismatch",
      "token expired", "token invalid", "token reused", "address mismatch", "already connected",
      "server full", "table full", "queue full", "malformed", "stale", "duplicate",
      "out of window", "token predates start", "request rate", "request budget", "incomplete"};
  const auto i = static_cast<std::size_t>(r);
  return i < names.size() ? names[i] : "unknown";
}

/// One counter per DropReason.
class DropCounters {
 public:
  constexpr void count(DropReason r) noexcept { ++counts_[static_cast<std::size_t>(r)]; }
  [[nodiscard]] constexpr std::uint64_t operator[](DropReason r) const noexcept {
    return counts_[static_cast<std::size_t>(r)];
  }
  [[nodiscard]] constexpr std::uint64_t total() const noexcept {
    std::uint64_t sum = 0;
    for (auto c : counts_) sum += c;
    return sum;
  }

 private:
  std::array<std::uint64_t, drop_reason_count> counts_{};
};

}  // namespace courier
