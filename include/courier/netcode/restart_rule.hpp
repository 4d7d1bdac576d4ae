#pragma once
/// \file
/// RestartRule: whether a connect token could have been issued before this server started.
///
/// The token history (token_history.hpp) lives in memory, so a server started as a new process
/// has forgotten the tokens its predecessor consumed. Connection requests carry the token's
/// expire timestamp, not its create timestamp; with a configured maximum lifetime L, a token
/// expiring at E was issued at E - L or later. Until L after its start S, the server therefore
/// refuses tokens with E < S + L: they may have been consumed before the restart. A token that
/// never expires cannot be placed in time at all and is refused while the rule is on. From
/// S + L on, every unexpired token with a lifetime of at most L was issued after the start.
/// docs/PROTOCOL.md Part 1 §10 ("Restart rule") gives the reasoning and its limits.

#include <cstdint>
#include <optional>

#include "courier/core/chrono.hpp"
#include "courier/core/time.hpp"

namespace courier::netcode {

/// The start of one server's token history and the rule built on it.
class RestartRule {
 public:
  /// The expire timestamp of a token that never expires.
  static constexpr UnixSeconds never_expires = ~UnixSeconds{0};

  /// `max_token_lifetime` 0 turns the rule off.
  explicit RestartRule(std::chrono::seconds max_token_lifetime) noexcept
      : max_lifetime_(static_cast<UnixSeconds>(max_token_lifetime.count() > 0 ? max_token_lifetime.count() : 0)) {}

  /// Records the start at the first call (the server's first update); later calls keep it.
  void observe(UnixSeconds unix_now) noexcept {
    if (!started_) started_ = unix_now;
  }

  /// The unix second the history started, once observed.
  [[nodiscard]] std::optional<UnixSeconds> started_unix() const noexcept { return started_; }

  [[nodiscard]] bool enabled() const noexcept { return max_lifetime_ != 0; }

  /// True when a token expiring at `expire` may have been issued before the start.
  [[nodiscard]] bool predates_start(UnixSeconds expire) const noexcept {
    if (!enabled()) return false;
    if (!started_ || expire == never_expires) return true;
    if (*started_ > never_expires - max_lifetime_) return true;  // no finite expiry reaches S + L
    return expire < *started_ + max_lifetime_;
  }

 private:
  UnixSeconds max_lifetime_;
  std::optional<UnixSeconds> started_;
};

}  // namespace courier::netcode
