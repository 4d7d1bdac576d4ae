#pragma once
/// \file
/// Reconnector's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/typed/detail/reconnector.hpp"

namespace courier::detail {

COURIER_DECL bool Reconnector::keep(std::span<const std::byte> bytes, TimePoint now) {
  auto token = ConnectToken::from_bytes(bytes);
  if (!token) return false;
  const auto parsed = netcode::read_connect_token(token->bytes());
  if (parsed->expire_timestamp < parsed->create_timestamp) return false;
  // Clamped: a token that "never expires" (all ones) must not overflow the clock.
  const UnixSeconds life = std::min<UnixSeconds>(parsed->expire_timestamp - parsed->create_timestamp, 1'000'000'000);
  token_ = std::move(*token);
  deadline_ = now + std::chrono::seconds(static_cast<std::int64_t>(life));
  return true;
}

COURIER_DECL bool Reconnector::begin(Error why, TimePoint now) noexcept {
  if (!policy_.enabled || !token_) return false;
  attempts_ = 0;
  running_ = false;
  last_error_ = why;
  next_attempt_ = now;
  return true;
}

COURIER_DECL void Reconnector::attempt_failed(Error why, TimePoint now) noexcept {
  running_ = false;
  last_error_ = why;
  next_attempt_ = now + backoff();
}

COURIER_DECL const ConnectToken& Reconnector::start_attempt() noexcept {
  ++attempts_;
  running_ = true;
  return *token_;
}

COURIER_DECL Duration Reconnector::backoff() const noexcept {
  Duration d = policy_.first_backoff;
  for (std::size_t i = 1; i < attempts_ && d < policy_.max_backoff; ++i) d *= 2;
  return std::min(d, policy_.max_backoff);
}

}  // namespace courier::detail
