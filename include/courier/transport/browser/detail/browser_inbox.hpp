#pragma once
/// \file
/// BrowserInbox: where the browser's WebSocket callbacks leave what they saw, for
/// BrowserWebSocket::receive and take_unreachable to hand out on the program's own schedule.
/// A callback never calls into the netcode client: it only queues here. Both queues are
/// bounded; what does not fit is dropped and counted. Plain C++: no Emscripten header.

#include <algorithm>
#include <cstddef>
#include <deque>
#include <optional>
#include <span>

#include "courier/core/drop_reason.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/websocket/websocket_config.hpp"

namespace courier::detail {

class BrowserInbox {
 public:
  explicit BrowserInbox(const WebSocketLimits& limits) noexcept : limits_(limits) {}

  /// One binary message from `from`: queued for take(), or dropped as queue_full. The caller
  /// checked its size against max_message_bytes (<= max_datagram_bytes).
  void deliver(const Address& from, std::span<const std::byte> bytes) {
    if (datagrams_.size() >= limits_.receive_queue) return stats_.transport.drops.count(DropReason::queue_full);
    Datagram& d = datagrams_.emplace_back();
    d.from = from;
    d.size = bytes.size();
    std::copy(bytes.begin(), bytes.end(), d.data.begin());
  }

  /// The one path by which a connection's end is recorded: counted by reason and reported as
  /// unreachable (so the netcode client moves on to its token's next server at once).
  void ended(const Address& peer, WebSocketClose why) noexcept {
    stats_.count(why);
    // Bounded: a lost report only means waiting for the netcode timeout instead.
    if (unreachable_.size() < max_unreachable) unreachable_.push_back(peer);
  }

  void opened() noexcept { ++stats_.connections_opened; }
  void sent(std::size_t bytes) noexcept {
    ++stats_.transport.datagrams_sent;
    stats_.transport.bytes_sent += bytes;
  }
  void send_failed() noexcept { ++stats_.transport.send_errors; }

  [[nodiscard]] std::size_t take(std::span<Datagram> slots) noexcept {
    std::size_t n = 0;
    for (; n < slots.size() && !datagrams_.empty(); ++n) {
      slots[n] = datagrams_.front();
      datagrams_.pop_front();
      ++stats_.transport.datagrams_received;
      stats_.transport.bytes_received += slots[n].size;
    }
    return n;
  }

  [[nodiscard]] std::optional<Address> take_unreachable() noexcept {
    if (unreachable_.empty()) return std::nullopt;
    const Address a = unreachable_.front();
    unreachable_.pop_front();
    return a;
  }

  [[nodiscard]] bool has_input() const noexcept { return !datagrams_.empty(); }
  [[nodiscard]] const WebSocketLimits& limits() const noexcept { return limits_; }
  [[nodiscard]] const WebSocketStats& stats() const noexcept { return stats_; }

 private:
  static constexpr std::size_t max_unreachable = 64;

  WebSocketLimits limits_;
  std::deque<Datagram> datagrams_;
  std::deque<Address> unreachable_;
  WebSocketStats stats_;
};

}  // namespace courier::detail
