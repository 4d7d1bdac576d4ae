#pragma once
/// \file
/// SteadyClock: the real monotonic clock and the real wall clock.

#include "courier/core/chrono.hpp"
#include "courier/core/clock.hpp"

namespace courier {

/// Reads std::chrono::steady_clock for time and system_clock for unix seconds.
class SteadyClock {
 public:
  [[nodiscard]] TimePoint now() const noexcept {
    return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
  }
  [[nodiscard]] UnixSeconds unix_now() const noexcept {
    auto since = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<UnixSeconds>(std::chrono::duration_cast<std::chrono::seconds>(since).count());
  }
};

}  // namespace courier
