#pragma once
/// \file
/// SourceRateLimiter: a token bucket per source (an address, or an address without its port),
/// for the budgets a server applies before it spends work on a stranger: the netcode server's
/// connection-request decryptions (netcode/request_budget.hpp) and the WebSocket server's
/// accepted connections (transport/websocket/).
///
/// Each bucket is one "theoretical arrival time" (the generic cell rate algorithm): a take is
/// allowed while the bucket's time is at most `burst - 1` intervals ahead of now, and each
/// allowed take moves it one interval on. Sources are spread over a fixed table of buckets by a
/// keyed hash (SipHash-2-4 under a random key chosen at construction): O(1), allocation-free
/// after construction, bounded whatever the number of sources; two sources may share a bucket
/// and its budget, but a sender cannot choose sources that land in a given player's bucket.

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "courier/core/time.hpp"

namespace courier::detail {

class SourceRateLimiter {
 public:
  /// `buckets` is rounded up to a power of two; `per_second` 0 turns the limit off (any other
  /// rate limits, the interval being at least a nanosecond).
  SourceRateLimiter(std::size_t buckets, std::uint32_t per_second, std::uint32_t burst)
      : arrival_(round_up_pow2(buckets)),
        interval_(per_second == 0 ? Duration::zero()
                                  : std::max(Duration(1), Duration(std::chrono::seconds(1)) / per_second)),
        tolerance_(interval_ * (burst > 0 ? burst - 1 : 0)) {
    if (sodium_init() >= 0) randombytes_buf(key_, sizeof key_);
  }

  [[nodiscard]] bool enabled() const noexcept { return interval_ != Duration::zero(); }

  /// Charges one take to the source `key`: false (and nothing charged) when it is over its rate.
  [[nodiscard]] bool take(std::span<const unsigned char> key, TimePoint now) noexcept {
    if (!enabled()) return true;
    TimePoint& tat = arrival_[bucket_of(key)];
    const TimePoint start = tat > now ? tat : now;
    if (start - now > tolerance_) return false;
    tat = start + interval_;
    return true;
  }

  [[nodiscard]] std::size_t bucket_count() const noexcept { return arrival_.size(); }
  /// The bucket of source `key` (for tests: which sources share a budget).
  [[nodiscard]] std::size_t bucket_of(std::span<const unsigned char> key) const noexcept {
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, key.data(), key.size(), key_);
    std::uint64_t h = 0;
    for (unsigned char b : out) h = (h << 8) | b;
    return static_cast<std::size_t>(h) & (arrival_.size() - 1);
  }

 private:
  static std::size_t round_up_pow2(std::size_t n) noexcept {
    std::size_t p = 1;
    while (p < n && p < (std::size_t{1} << 24)) p <<= 1;
    return p;
  }

  std::vector<TimePoint> arrival_;
  Duration interval_;
  Duration tolerance_;
  unsigned char key_[crypto_shorthash_KEYBYTES] = {};
};

}  // namespace courier::detail
