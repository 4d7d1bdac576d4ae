#pragma once
/// \file
/// ServerLog's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/netcode/server_log.hpp"

namespace courier::netcode::detail {

COURIER_DECL void ServerLog::line(const char* format, const Address& a, const Address& b) const noexcept {
  if (!log_) return;
  char text_a[address_text_bytes];
  char text_b[address_text_bytes];
  char out[512];
  const auto sa = format_address(a, text_a);
  const auto sb = format_address(b, text_b);
  const int n = std::snprintf(out, sizeof out, format, sa.data(), sb.data());
  if (n > 0) log_(std::string_view(out, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof out - 1)));
}

COURIER_DECL bool ServerLog::due(Notice k, TimePoint now, std::span<char> more) noexcept {
  const auto i = static_cast<std::size_t>(k);
  if (!log_) return false;
  if (now < next_[i]) {
    ++left_out_[i];
    return false;
  }
  next_[i] = now + notice_interval;
  more[0] = '\0';
  if (left_out_[i] != 0)
    std::snprintf(more.data(), more.size(), " (and %llu more since the last such line)",
                  static_cast<unsigned long long>(left_out_[i]));
  left_out_[i] = 0;
  return true;
}

COURIER_DECL void ServerLog::emit(const char* format, const char* a, const char* b) const noexcept {
  char out[512];
  const int n = std::snprintf(out, sizeof out, format, a, b);
  if (n > 0) log_(std::string_view(out, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof out - 1)));
}

COURIER_DECL void ServerLog::notice(Notice k, const Address& from, TimePoint now) noexcept {
  char more[64];
  if (!due(k, now, more)) return;
  char text[address_text_bytes];
  char what_from[400];
  std::snprintf(what_from, sizeof what_from, "%s (from %s)", what(k), format_address(from, text).data());
  emit("courier netcode server: %s%s", what_from, more);
}

COURIER_DECL void ServerLog::rate_notice(Notice k, std::uint64_t per_second, TimePoint now) noexcept {
  char more[64];
  if (!due(k, now, more)) return;
  char what_rate[400];
  std::snprintf(what_rate, sizeof what_rate, "%s: %llu a second", what(k), static_cast<unsigned long long>(per_second));
  emit("courier netcode server: %s%s", what_rate, more);
}

COURIER_DECL const char* ServerLog::what(Notice k) noexcept {
  switch (k) {
    case Notice::token_reused: return "refused a connect token already seen from another address (tokens are single-use)";
    case Notice::token_consumed: return "refused a connect token that was already used for a connection (tokens are single-use)";
    case Notice::token_predates_start:
      return "refused a connect token that may predate this server's start (restart rule, NetcodeServerConfig::max_token_lifetime)";
    case Notice::other_protocol:
      return "refused a connection request for another protocol id: a client built from another pack or version";
    case Notice::over_budget:
      return "refusing connection requests above the decryption budgets (a flood? stats().drops: request_rate, "
             "request_budget)";
    case Notice::flood:
      return "receiving datagrams from addresses without a session (a flood?), refused before any decryption "
             "but within the request budgets; stats().drops says why, stats().unauthenticated_per_second how many";
    case Notice::count_: break;
  }
  return "refused a connection request";
}

}  // namespace courier::netcode::detail
