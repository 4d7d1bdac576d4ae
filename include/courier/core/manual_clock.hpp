#pragma once
/// \file
/// ManualClock: a clock that moves only when told, for deterministic tests.

#include "courier/core/clock.hpp"

namespace courier {

/// Starts at TimePoint{} and at the given unix time; `advance` moves both together.
class ManualClock {
 public:
  explicit ManualClock(UnixSeconds unix_start = 1'700'000'000) noexcept : unix_start_(unix_start) {}

  /// Time stands still while a program works: budgets of real time (a server's receive budget)
  /// are off under this clock, so a simulation never depends on the machine's speed.
  static constexpr bool simulated = true;

  [[nodiscard]] TimePoint now() const noexcept { return now_; }
  [[nodiscard]] UnixSeconds unix_now() const noexcept {
    auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch());
    return unix_start_ + static_cast<UnixSeconds>(elapsed.count());
  }

  /// Moves time forward; a negative step is ignored (time never goes backwards).
  void advance(Duration step) noexcept {
    if (step > Duration::zero()) now_ += step;
  }
  /// Sets the unix time reported at the current instant.
  void set_unix_now(UnixSeconds unix_now) noexcept {
    auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now_.time_since_epoch());
    unix_start_ = unix_now - static_cast<UnixSeconds>(elapsed.count());
  }

 private:
  TimePoint now_{};
  UnixSeconds unix_start_;
};

}  // namespace courier
