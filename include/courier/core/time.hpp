#pragma once
/// \file
/// The time types every layer passes around. Time is always passed in, never read from a global
/// clock inside the library, so tests drive minutes of traffic with a ManualClock in milliseconds.

#include <cstdint>

#include "courier/core/chrono.hpp"

namespace courier {

/// Monotonic time, nanosecond resolution. ManualClock counts from the epoch (TimePoint{}).
using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::nanoseconds;

/// Seconds since the unix epoch, as carried in connect tokens.
using UnixSeconds = std::uint64_t;

/// Seconds as a double, for stats and for the 10 Hz netcode timers.
[[nodiscard]] constexpr double to_seconds(Duration d) noexcept {
  return std::chrono::duration<double>(d).count();
}

[[nodiscard]] constexpr Duration from_seconds(double s) noexcept {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

}  // namespace courier
