#pragma once
/// \file
/// Reconnector: the typed client's automatic reconnection. It keeps the newest reconnect token
/// the server sent (single-use, this server only, short-lived) and, after a lost connection,
/// says when to try it: bounded attempts, doubling backoff, and never past the token's life.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "courier/core/chrono.hpp"
#include "courier/core/config.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/token.hpp"
#include "courier/typed/typed_config.hpp"

namespace courier::detail {

class Reconnector {
 public:
  explicit Reconnector(const ReconnectPolicy& policy) noexcept : policy_(policy) {}

  /// Keeps a token the server sent; false when it is not a valid token (a protocol violation).
  [[nodiscard]] bool keep(std::span<const std::byte> bytes, TimePoint now);
  [[nodiscard]] bool has_token() const noexcept { return token_.has_value(); }
  void forget() noexcept { token_.reset(); }

  /// A connection was lost: attempts start now (if enabled and a token is held).
  [[nodiscard]] bool begin(Error why, TimePoint now) noexcept;

  /// An attempt failed before the server's hello: the next one waits its backoff.
  void attempt_failed(Error why, TimePoint now) noexcept;
  void attempt_succeeded() noexcept { running_ = false; }
  [[nodiscard]] bool attempt_running() const noexcept { return running_; }

  /// True when no attempt is left: attempts used up, the token gone or expired. reason() then
  /// says why the client is dead.
  [[nodiscard]] bool exhausted(TimePoint now) noexcept {
    if (token_ && now >= deadline_) last_error_ = Error::connect_token_expired;
    return attempts_ >= policy_.max_attempts || !token_ || now >= deadline_;
  }
  [[nodiscard]] Error reason() const noexcept { return last_error_; }

  /// True while an attempt runs or the next one is not due yet.
  [[nodiscard]] bool waiting(TimePoint now) const noexcept { return running_ || now < next_attempt_; }

  /// Starts the next attempt (check exhausted() first): the token to connect with.
  [[nodiscard]] const ConnectToken& start_attempt() noexcept;

 private:
  [[nodiscard]] Duration backoff() const noexcept;

  ReconnectPolicy policy_;
  std::optional<ConnectToken> token_;
  TimePoint deadline_{};
  TimePoint next_attempt_{};
  std::size_t attempts_ = 0;
  bool running_ = false;
  Error last_error_ = Error::ok;
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/typed/impl/reconnector.hpp"
#endif
