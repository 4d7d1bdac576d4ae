#pragma once
/// \file
/// ServerLog: the netcode server's human-readable lines for the operator (NetcodeServerConfig::log):
/// configuration problems, and refusals a person should hear of (a reused connect token, one
/// issued before the server started, a client of another protocol). The refusals are also
/// counted by reason in NetcodeServerStats::drops; the log only says what they mean. A flood of them
/// makes at most one line per kind per `notice_interval`, with the count left out since the
/// last, so the log can never be the flood's amplifier. No allocation.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string_view>

#include "courier/core/chrono.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/address_text.hpp"
#include "courier/netcode/netcode_config.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode::detail {

/// The refusals that get a (rate-limited) line.
enum class Notice : std::uint8_t { token_reused, token_consumed, token_predates_start, other_protocol, count_ };

class ServerLog {
 public:
  static constexpr Duration notice_interval = std::chrono::seconds(10);

  explicit ServerLog(LogFunction log) : log_(std::move(log)) {}

  /// One line; `format` has two %s, for `a` and `b`.
  void line(const char* format, const Address& a, const Address& b) const noexcept {
    if (!log_) return;
    char text_a[address_text_bytes];
    char text_b[address_text_bytes];
    char out[512];
    const auto sa = format_address(a, text_a);
    const auto sb = format_address(b, text_b);
    const int n = std::snprintf(out, sizeof out, format, sa.data(), sb.data());
    if (n > 0) log_(std::string_view(out, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof out - 1)));
  }

  /// A refusal of kind `k` from `from`: a line now, or counted into the next one.
  void notice(Notice k, const Address& from, TimePoint now) noexcept {
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

 private:
  static const char* what(Notice k) noexcept {
    switch (k) {
      case Notice::token_reused: return "refused a connect token already seen from another address (tokens are single-use)";
      case Notice::token_consumed: return "refused a connect token that was already used for a connection (tokens are single-use)";
      case Notice::token_predates_start:
        return "refused a connect token that may predate this server's start (restart rule, NetcodeServerConfig::max_token_lifetime)";
      case Notice::other_protocol:
        return "refused a connection request for another protocol id: a client built from another pack or version";
      case Notice::count_: break;
    }
    return "refused a connection request";
  }

  LogFunction log_;
  std::array<TimePoint, static_cast<std::size_t>(Notice::count_)> next_{};
  std::array<std::uint64_t, static_cast<std::size_t>(Notice::count_)> left_out_{};
};

}  // namespace courier::netcode::detail
