#pragma once
/// \file
/// RequestBudget: how much cryptography a netcode server spends on connection requests, decided
/// before any is spent. Opening a request's private token costs about a microsecond; a flood of
/// well-formed requests with random tokens would otherwise buy that microsecond per datagram.
///
/// Two limits, both O(1) and allocation-free after construction:
/// - **per source**: a token bucket per source address (ip and port), spread over a fixed table
///   by a keyed hash (SourceRateLimiter, core/source_rate_limiter.hpp);
/// - **per update**: a count of decryptions per `update`, which bounds a flood from spoofed
///   addresses (each a fresh bucket) to a fixed cost per update.
///
/// A netcode client sends its request 10 times a second (netcode.io's packet send rate), so
/// the defaults (NetcodeServerConfig) leave a player many times what it needs.

#include <array>
#include <cstddef>
#include <cstdint>

#include "courier/core/source_rate_limiter.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode::detail {

class RequestBudget {
 public:
  enum class Verdict : std::uint8_t { allowed, source_over_rate, update_over_budget };

  /// `buckets` is rounded up to a power of two; `per_second` and `burst` are per source;
  /// `per_update` counts decryptions between two calls of new_update. A zero rate turns the
  /// per-source limit off, a zero `per_update` the per-update one.
  RequestBudget(std::size_t buckets, std::uint32_t per_second, std::uint32_t burst, std::size_t per_update)
      : sources_(buckets, per_second, burst), per_update_(per_update) {}

  /// Starts a new update's count.
  void new_update() noexcept { used_this_update_ = 0; }

  /// Charges one decryption to `from`; nothing is charged when the verdict is a refusal.
  [[nodiscard]] Verdict take(const Address& from, TimePoint now) noexcept {
    if (per_update_ != 0 && used_this_update_ >= per_update_) return Verdict::update_over_budget;
    if (!sources_.take(key(from), now)) return Verdict::source_over_rate;
    ++used_this_update_;
    return Verdict::allowed;
  }

  [[nodiscard]] std::size_t bucket_count() const noexcept { return sources_.bucket_count(); }
  /// The bucket of `from` (for tests: which addresses share a budget).
  [[nodiscard]] std::size_t bucket_of(const Address& from) const noexcept { return sources_.bucket_of(key(from)); }

 private:
  /// What makes two sources differ: the address's family, port and bytes.
  static std::array<unsigned char, 19> key(const Address& a) noexcept {
    std::array<unsigned char, 19> k = {static_cast<unsigned char>(a.family()), static_cast<unsigned char>(a.port() >> 8),
                                       static_cast<unsigned char>(a.port() & 0xff)};
    for (std::size_t i = 0; i < 16; ++i) k[3 + i] = a.bytes()[i];
    return k;
  }

  courier::detail::SourceRateLimiter sources_;
  std::size_t per_update_;
  std::size_t used_this_update_ = 0;
};

}  // namespace courier::netcode::detail
