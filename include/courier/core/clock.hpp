#pragma once
/// \file
/// The `Clock` policy concept.
///
/// | expression        | type        | meaning                                              |
/// |-------------------|-------------|------------------------------------------------------|
/// | `c.now()`         | `TimePoint` | monotonic time; never goes backwards                 |
/// | `c.unix_now()`    | `UnixSeconds` | wall-clock seconds, read for connect-token expiry  |
///
/// Both are `noexcept`. Shipped: SteadyClock (the real clocks), ManualClock (tests).

#include <concepts>

#include "courier/core/time.hpp"

namespace courier {

template <class C>
concept Clock = requires(const C& c) {
  { c.now() } noexcept -> std::same_as<TimePoint>;
  { c.unix_now() } noexcept -> std::same_as<UnixSeconds>;
};

/// True for a clock whose time only moves when told (ManualClock: `static constexpr bool
/// simulated = true`): what runs under it must not depend on real time.
template <class C>
inline constexpr bool is_simulated_clock = requires { requires C::simulated; };

}  // namespace courier
