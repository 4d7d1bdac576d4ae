#pragma once
/// \file
/// RequestBudget: how much cryptography a netcode server spends on connection requests, decided
/// before any is spent. Opening a request's private token costs about a microsecond; a flood of
/// well-formed requests with random tokens would otherwise buy that microsecond per datagram.
///
/// Two limits, both O(1) and allocation-free after construction:
/// - **per source**: a token bucket per source address (ip and port), kept as one "theoretical
///   arrival time" per bucket (the generic cell rate algorithm: a request is allowed while the
///   bucket's time is at most `burst` intervals ahead of now, and each allowed request moves it one
///   interval on). Addresses are spread over a fixed table of buckets by a keyed hash (SipHash-2-4
///   under a random key chosen at construction), so two addresses may share a bucket and its
///   budget, but a sender cannot choose addresses that land in a given player's bucket;
/// - **per update**: a count of decryptions per `update`, which bounds a flood from spoofed
///   addresses (each a fresh bucket) to a fixed cost per update.
///
/// A netcode client sends its request 10 times a second (netcode.io's packet send rate), so
/// the defaults (NetcodeServerConfig) leave a player many times what it needs.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "courier/core/time.hpp"
#include "courier/crypto/sodium.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode::detail {

class RequestBudget {
 public:
  enum class Verdict : std::uint8_t { allowed, source_over_rate, update_over_budget };

  /// `buckets` is rounded up to a power of two; `per_second` and `burst` are per source;
  /// `per_update` counts decryptions between two calls of new_update. A zero rate turns the
  /// per-source limit off, a zero `per_update` the per-update one.
  RequestBudget(std::size_t buckets, std::uint32_t per_second, std::uint32_t burst, std::size_t per_update)
      : arrival_(round_up_pow2(buckets)),
        interval_(per_second == 0 ? Duration::zero() : Duration(std::chrono::seconds(1)) / per_second),
        tolerance_(interval_ * (burst > 0 ? burst - 1 : 0)),
        per_update_(per_update) {
    if (courier::detail::sodium_ready()) randombytes_buf(key_, sizeof key_);
  }

  /// Starts a new update's count.
  void new_update() noexcept { used_this_update_ = 0; }

  /// Charges one decryption to `from`; nothing is charged when the verdict is a refusal.
  [[nodiscard]] Verdict take(const Address& from, TimePoint now) noexcept {
    if (per_update_ != 0 && used_this_update_ >= per_update_) return Verdict::update_over_budget;
    if (interval_ != Duration::zero()) {
      TimePoint& tat = arrival_[bucket_of(from)];
      const TimePoint start = tat > now ? tat : now;
      if (start - now > tolerance_) return Verdict::source_over_rate;
      tat = start + interval_;
    }
    ++used_this_update_;
    return Verdict::allowed;
  }

  [[nodiscard]] std::size_t bucket_count() const noexcept { return arrival_.size(); }
  /// The bucket of `from` (for tests: which addresses share a budget).
  [[nodiscard]] std::size_t bucket_of(const Address& from) const noexcept { return hash(from) & (arrival_.size() - 1); }

 private:
  static std::size_t round_up_pow2(std::size_t n) noexcept {
    std::size_t p = 1;
    while (p < n && p < (std::size_t{1} << 24)) p <<= 1;
    return p;
  }

  /// SipHash of the address's family, port and bytes (what makes two addresses differ).
  [[nodiscard]] std::uint64_t hash(const Address& a) const noexcept {
    unsigned char in[19] = {static_cast<unsigned char>(a.family()), static_cast<unsigned char>(a.port() >> 8),
                            static_cast<unsigned char>(a.port() & 0xff)};
    for (std::size_t i = 0; i < 16; ++i) in[3 + i] = a.bytes()[i];
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, in, sizeof in, key_);
    std::uint64_t h = 0;
    for (unsigned char b : out) h = (h << 8) | b;
    return h;
  }

  std::vector<TimePoint> arrival_;
  Duration interval_;
  Duration tolerance_;
  std::size_t per_update_;
  std::size_t used_this_update_ = 0;
  unsigned char key_[crypto_shorthash_KEYBYTES] = {};
};

}  // namespace courier::netcode::detail
