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
#include "courier/core/config.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/address_text.hpp"
#include "courier/netcode/netcode_config.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode::detail {

/// The refusals that get a (rate-limited) line.
enum class Notice : std::uint8_t {
  token_reused,
  token_consumed,
  token_predates_start,
  other_protocol,
  over_budget,
  flood,  ///< strangers' datagrams a second at or above NetcodeServerConfig::flood_notice_per_second
  count_
};

class ServerLog {
 public:
  static constexpr Duration notice_interval = std::chrono::seconds(10);

  explicit ServerLog(LogFunction log) : log_(std::move(log)) {}

  /// One line; `format` has two %s, for `a` and `b`.
  void line(const char* format, const Address& a, const Address& b) const noexcept;

  /// A refusal of kind `k` from `from`: a line now, or counted into the next one.
  void notice(Notice k, const Address& from, TimePoint now) noexcept;
  /// A condition of kind `k` measured as a rate (Notice::flood): a line now, or counted.
  void rate_notice(Notice k, std::uint64_t per_second, TimePoint now) noexcept;

 private:
  static const char* what(Notice k) noexcept;
  /// True when a line of kind `k` may go out now; `more` gets the count left out since the last.
  bool due(Notice k, TimePoint now, std::span<char> more) noexcept;
  void emit(const char* format, const char* a, const char* b) const noexcept;

  LogFunction log_;
  std::array<TimePoint, static_cast<std::size_t>(Notice::count_)> next_{};
  std::array<std::uint64_t, static_cast<std::size_t>(Notice::count_)> left_out_{};
};

}  // namespace courier::netcode::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/netcode/impl/server_log.hpp"
#endif
