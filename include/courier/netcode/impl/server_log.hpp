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

COURIER_DECL void ServerLog::notice(Notice k, const Address& from, TimePoint now) noexcept {
  const auto i = static_cast<std::size_t>(k);
  if (!log_) return;
  if (now < next_[i]) {
    ++left_out_[i];
    return;
  }
  next_[i] = now + notice_interval;
  char more[64] = "";
  if (left_out_[i] != 0)
    std::snprintf(more, sizeof more, " (and %llu more since the last such line)",
                  static_cast<unsigned long long>(left_out_[i]));
  left_out_[i] = 0;
  char text[address_text_bytes];
  char out[512];
  const int n = std::snprintf(out, sizeof out, "courier netcode server: %s (from %s)%s", what(k),
                              format_address(from, text).data(), more);
  if (n > 0) log_(std::string_view(out, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof out - 1)));
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
    case Notice::count_: break;
  }
  return "refused a connection request";
}

}  // namespace courier::netcode::detail
