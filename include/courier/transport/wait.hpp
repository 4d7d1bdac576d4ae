#pragma once
/// \file
/// Waiting for input instead of sleeping: a program's loop calls
/// `wait_for_input(time_to_next_tick, transports...)` between updates, which returns as soon as
/// a datagram arrives on any of them (or when the time is up), the way ENet's
/// `enet_host_service(host, event, timeout)` does. A loop that sleeps a fixed interval instead
/// caps what it can read at one update's worth per interval: under load (or a flood) the socket
/// buffer fills and the kernel drops players' packets with everything else.
///
/// A transport can be waited for when it is `Pollable`: its `native_handle()` is a descriptor
/// that becomes readable when a datagram arrives (Udp). A transport that is not (Loopback, whose
/// datagrams come from this process; Simulated, which releases datagrams by time) cannot wake
/// the wait, so waiting on a set that holds one sleeps for the whole time, as before.

#include <poll.h>
#include <time.h>

#include <array>
#include <cerrno>
#include <concepts>
#include <cstddef>
#include <span>

#include "courier/core/time.hpp"

namespace courier {

/// A transport whose input can be waited for with poll: `native_handle()` is its descriptor
/// (-1 when it has none, e.g. after a move).
template <class T>
concept Pollable = requires(const T& t) {
  { t.native_handle() } noexcept -> std::same_as<int>;
};

namespace detail {

[[nodiscard]] inline timespec to_timespec(Duration d) noexcept {
  if (d < Duration::zero()) d = Duration::zero();
  const auto ns = d.count();
  return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

/// Sleeps for `d` (nanosleep; a signal ends it early).
inline void sleep_for(Duration d) noexcept {
  const timespec t = to_timespec(d);
  (void)::nanosleep(&t, nullptr);
}

}  // namespace detail

/// Waits until one of the descriptors is readable or `max_wait` passes (ppoll; descriptors
/// below 0 are ignored). True when one is readable; false on timeout, a signal or an error.
[[nodiscard]] inline bool wait_readable(std::span<const int> fds, Duration max_wait) noexcept {
  constexpr std::size_t most = 16;
  std::array<pollfd, most> set{};
  nfds_t n = 0;
  for (const int fd : fds)
    if (fd >= 0 && n < most) set[n++] = pollfd{fd, POLLIN, 0};
  const timespec t = detail::to_timespec(max_wait);
  if (n == 0) {
    (void)::nanosleep(&t, nullptr);
    return false;
  }
  return ::ppoll(set.data(), n, &t, nullptr) > 0;
}

/// Waits until a datagram arrives on one of `transports` or `max_wait` passes; true when one
/// may have input. With a transport that is not Pollable among them, sleeps for `max_wait`.
template <class... T>
bool wait_for_input(Duration max_wait, T&... transports) noexcept {
  if constexpr ((Pollable<T> && ...)) {
    const std::array<int, sizeof...(T)> fds{transports.native_handle()...};
    return wait_readable(fds, max_wait);
  } else {
    detail::sleep_for(max_wait);
    return false;
  }
}

}  // namespace courier
