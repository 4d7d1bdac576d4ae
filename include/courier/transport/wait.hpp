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
/// that becomes readable when a datagram arrives (Udp); or when it `WaitsForInput` itself: its
/// `wait_for_input(max_wait, other_fds)` blocks until its own input or one of the other
/// descriptors is ready (the WebSocket transports, whose sockets sit in Asio's epoll set). A set
/// of Pollable transports and at most one that waits for itself can be waited for together. A
/// transport that is neither (Loopback, whose datagrams come from this process; Simulated,
/// which releases datagrams by time) cannot wake the wait, so waiting on a set that holds one
/// sleeps for the whole time.

#include <poll.h>
#include <time.h>

#include <array>
#include <cerrno>
#include <concepts>
#include <cstddef>
#include <span>
#include <type_traits>

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

/// A transport that waits for its own input: blocks until it has a datagram, one of
/// `other_fds` is readable, or `max_wait` passes; true when input may be waiting.
template <class T>
concept WaitsForInput = requires(T& t, Duration d, std::span<const int> other_fds) {
  { t.wait_for_input(d, other_fds) } noexcept -> std::same_as<bool>;
};

namespace detail {

template <class T>
inline constexpr bool waits_itself = WaitsForInput<T> && !Pollable<T>;

/// The descriptors of the Pollable ones among `transports`, after `first`.
template <class... T>
[[nodiscard]] std::array<int, 16> pollable_fds(std::span<const int> first, std::size_t& n, T&... transports) noexcept {
  std::array<int, 16> fds{};
  n = 0;
  for (const int fd : first)
    if (n < fds.size()) fds[n++] = fd;
  const auto add = [&](auto& t) {
    if constexpr (Pollable<std::remove_cvref_t<decltype(t)>>)
      if (n < fds.size()) fds[n++] = t.native_handle();
  };
  (add(transports), ...);
  return fds;
}

}  // namespace detail

/// wait_for_input over `transports` and the descriptors `other_fds` (what Multi passes down).
template <class... T>
bool wait_for_input_with(Duration max_wait, std::span<const int> other_fds, T&... transports) noexcept {
  constexpr std::size_t self_waiting = (std::size_t{detail::waits_itself<T>} + ... + 0);
  if constexpr (self_waiting > 1 || !((Pollable<T> || WaitsForInput<T>) && ...)) {
    detail::sleep_for(max_wait);
    return false;
  } else {
    std::size_t n = 0;
    const std::array<int, 16> fds = detail::pollable_fds(other_fds, n, transports...);
    const std::span<const int> ready(fds.data(), n);
    if constexpr (self_waiting == 0) {
      return wait_readable(ready, max_wait);
    } else {
      bool got = false;
      const auto wait_in = [&](auto& t) {
        if constexpr (detail::waits_itself<std::remove_cvref_t<decltype(t)>>) got = t.wait_for_input(max_wait, ready);
      };
      (wait_in(transports), ...);
      return got;
    }
  }
}

/// Waits until a datagram arrives on one of `transports` or `max_wait` passes; true when one
/// may have input. With a transport that can be waited for neither way among them (or more
/// than one that waits for itself), sleeps for `max_wait`.
template <class... T>
bool wait_for_input(Duration max_wait, T&... transports) noexcept {
  return wait_for_input_with(max_wait, {}, transports...);
}

}  // namespace courier
