#pragma once
/// \file
/// Waiting for a WebSocket transport's input (its `wait_for_input`), the blocking counterpart
/// of Hub::poll. A WebSocket transport's sockets live in Asio's own epoll set, which has no
/// descriptor a caller could hand to poll(2), so the wait runs inside Asio instead: it runs
/// handlers as they become ready until a datagram is in the inbox, one of the caller's other
/// descriptors (e.g. the Udp socket of the same Multi) is readable, or the time is up. That is
/// the only call of the transport that blocks, and only for as long as asked.

#include <array>
#include <chrono>
#include <cstddef>
#include <exception>
#include <optional>
#include <span>

#include <boost/asio/posix/stream_descriptor.hpp>

#include "courier/core/time.hpp"
#include "courier/transport/wait.hpp"
#include "courier/transport/websocket/detail/ws_hub.hpp"

namespace courier::detail::ws {

/// Watches up to `most` outside descriptors for readability on the hub's io_context, without
/// owning them: each is released (never closed) when the watch ends.
class OutsideDescriptors {
 public:
  static constexpr std::size_t most = 8;

  OutsideDescriptors(net::io_context& io, std::span<const int> fds) {
    for (const int fd : fds) {
      if (fd < 0 || count_ == most) continue;
      auto& d = watched_[count_++].emplace(io, fd);
      d.async_wait(net::posix::descriptor_base::wait_read, [this](const beast::error_code& ec) {
        if (!ec) ready_ = true;
      });
    }
  }
  OutsideDescriptors(const OutsideDescriptors&) = delete;
  OutsideDescriptors& operator=(const OutsideDescriptors&) = delete;
  /// Releases the descriptors; their cancelled waits must still run (Hub::poll) before `this`
  /// goes, since they point at it.
  ~OutsideDescriptors() { release(); }

  void release() noexcept {
    for (std::size_t i = 0; i < count_; ++i)
      if (watched_[i]) (void)watched_[i]->release();
  }
  [[nodiscard]] bool ready() const noexcept { return ready_; }

 private:
  std::array<std::optional<net::posix::stream_descriptor>, most> watched_;
  std::size_t count_ = 0;
  bool ready_ = false;
};

/// Blocks until `hub` has a datagram, one of `fds` is readable, or `max_wait` passes. True
/// when input may be waiting. With nothing for Asio to wait on (a client with no connection),
/// it sleeps.
[[nodiscard]] inline bool wait_for_input(Hub& hub, Duration max_wait, std::span<const int> fds) noexcept {
  hub.poll();
  if (hub.has_input()) return true;
  using Steady = std::chrono::steady_clock;
  const auto deadline = Steady::now() + max_wait;
  try {
    OutsideDescriptors outside(hub.io, fds);
    while (!hub.has_input() && !outside.ready()) {
      const auto left = deadline - Steady::now();
      if (left <= Steady::duration::zero()) break;
      if (hub.io.run_one_for(left) == 0) {  // stopped: nothing left to wait on
        hub.io.restart();
        courier::detail::sleep_for(std::chrono::duration_cast<Duration>(deadline - Steady::now()));
        break;
      }
    }
    outside.release();
    hub.poll();  // runs the released descriptors' cancelled waits
    return hub.has_input() || outside.ready();
  } catch (const std::exception&) {  // the epoll registration failed (or bad_alloc): sleep instead
    if (hub.io.stopped()) hub.io.restart();
    courier::detail::sleep_for(std::chrono::duration_cast<Duration>(deadline - Steady::now()));
    return false;
  }
}

}  // namespace courier::detail::ws
