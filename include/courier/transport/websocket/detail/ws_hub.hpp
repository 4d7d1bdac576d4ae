#pragma once
/// \file
/// Hub: what the WebSocket server and client share. It owns the io_context that every socket
/// of the transport runs on (pumped with poll(), never run(): no thread, no blocking call), the
/// table of connections by peer address, the bounded inbox of received datagrams, the list of
/// peers whose connection ended (take_unreachable), the deadlines, and the counters. A
/// connection reports to it through three calls only: opened, deliver, and ended, the one
/// path by which every connection ends.

#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "courier/core/drop_reason.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/websocket/detail/ws_endpoint.hpp"
#include "courier/transport/websocket/websocket_config.hpp"

namespace courier::detail::ws {

class Hub;

/// One WebSocket connection, as the hub sees it (Connection<Stream> implements it).
class Link : public std::enable_shared_from_this<Link> {
 public:
  Link(Hub& hub, Address peer, TimePoint started) noexcept : hub_(hub), peer_(peer), last_activity_(started) {}
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;
  virtual ~Link() = default;

  /// Queues one binary message (written once the upgrade is done); a full queue ends the
  /// connection as slow_reader.
  virtual void write(std::span<const std::byte> bytes) = 0;
  /// Ends the connection for `why` (counted once), closing the socket.
  virtual void fail(WebSocketClose why) = 0;

  [[nodiscard]] const Address& peer() const noexcept { return peer_; }
  [[nodiscard]] bool open() const noexcept { return open_; }
  [[nodiscard]] bool ended() const noexcept { return ended_; }
  /// The upgrade's start, or the latest message once open (for the deadlines).
  [[nodiscard]] TimePoint last_activity() const noexcept { return last_activity_; }
  void touch(TimePoint now) noexcept { last_activity_ = now; }

 protected:
  Hub& hub_;
  Address peer_;
  TimePoint last_activity_;
  bool open_ = false;
  bool ended_ = false;
};

class Hub {
 public:
  explicit Hub(const WebSocketLimits& limits) : io(1), limits_(limits) {}

  net::io_context io;  // first member: destroyed last, after the connections its handlers hold

  /// Runs every handler that is ready, without waiting. An exception out of a handler (only
  /// std::bad_alloc can be one) is counted as a receive error rather than escaping noexcept.
  void poll() noexcept {
    try {
      io.poll();
    } catch (const std::exception&) {
      ++stats_.transport.receive_errors;
    }
    if (io.stopped()) io.restart();
  }

  /// Applies the handshake deadline and the idle timeout at `now`.
  void update(TimePoint now) noexcept {
    // Connections made before the first update have no time yet: their deadlines start now.
    if (!has_now_)
      for (auto& [address, link] : links_) link->touch(now);
    has_now_ = true;
    now_ = now;
    expired_.clear();
    for (auto& [address, link] : links_) {
      const Duration limit = link->open() ? limits_.idle_timeout : limits_.handshake_deadline;
      if (link->last_activity() + limit <= now) expired_.push_back(link);
    }
    for (auto& link : expired_) link->fail(link->open() ? WebSocketClose::idle : WebSocketClose::handshake_deadline);
    expired_.clear();
  }

  /// Adds a connection to the table (the caller checked there is room and no other one).
  void add(const std::shared_ptr<Link>& link) {
    links_.emplace(link->peer(), link);
    ++per_source_[source_of(link->peer())];
  }

  /// Connections in the table from `peer`'s ip address, whatever their port.
  [[nodiscard]] std::size_t from_source(const Address& peer) const noexcept {
    const auto it = per_source_.find(source_of(peer));
    return it == per_source_.end() ? 0 : it->second;
  }
  /// A peer's source: its address without the port (and link).
  [[nodiscard]] static Address source_of(Address peer) noexcept {
    peer.set_port(0);
    peer.set_link(Address::Link::datagram);
    return peer;
  }

  [[nodiscard]] Link* find(const Address& peer) const noexcept {
    const auto it = links_.find(peer);
    return it == links_.end() ? nullptr : it->second.get();
  }
  [[nodiscard]] std::size_t size() const noexcept { return links_.size(); }

  // ---- what connections report ---------------------------------------------------------

  void opened() noexcept { ++stats_.connections_opened; }

  /// One binary message from `from`: queued for receive(), or dropped as queue_full.
  void deliver(const Address& from, std::span<const std::byte> bytes) {
    if (inbox_.size() >= limits_.receive_queue) return stats_.transport.drops.count(DropReason::queue_full);
    Datagram& d = inbox_.emplace_back();
    d.from = from;
    d.size = bytes.size();
    std::copy(bytes.begin(), bytes.end(), d.data.begin());
  }

  /// The one path by which a connection ends: counted by reason, out of the table, reported
  /// as unreachable. Called once per connection (Link::fail guards it).
  void ended(const Link& link, WebSocketClose why) noexcept {
    stats_.count(why);
    const auto it = links_.find(link.peer());
    if (it != links_.end() && it->second.get() == &link) {
      links_.erase(it);
      const auto source = per_source_.find(source_of(link.peer()));
      if (source != per_source_.end() && --source->second == 0) per_source_.erase(source);
    }
    if (unreachable_.size() < max_unreachable()) unreachable_.push_back(link.peer());
  }

  void sent(std::size_t bytes) noexcept {
    ++stats_.transport.datagrams_sent;
    stats_.transport.bytes_sent += bytes;
  }
  void send_failed() noexcept { ++stats_.transport.send_errors; }

  // ---- what the transport hands out -----------------------------------------------------

  [[nodiscard]] std::size_t take(std::span<Datagram> slots) noexcept {
    std::size_t n = 0;
    while (n < slots.size() && !inbox_.empty()) {
      slots[n] = inbox_.front();
      inbox_.pop_front();
      ++stats_.transport.datagrams_received;
      stats_.transport.bytes_received += slots[n].size;
      ++n;
    }
    return n;
  }

  /// True when a received datagram waits for take().
  [[nodiscard]] bool has_input() const noexcept { return !inbox_.empty(); }

  [[nodiscard]] std::optional<Address> take_unreachable() noexcept {
    if (unreachable_.empty()) return std::nullopt;
    const Address a = unreachable_.front();
    unreachable_.pop_front();
    return a;
  }

  /// Ends every connection (the transport is going away).
  void close_all() noexcept {
    expired_.clear();
    for (auto& [address, link] : links_) expired_.push_back(link);
    for (auto& link : expired_) link->fail(WebSocketClose::closed_here);
    expired_.clear();
  }

  [[nodiscard]] TimePoint now() const noexcept { return now_; }
  [[nodiscard]] const WebSocketLimits& limits() const noexcept { return limits_; }
  [[nodiscard]] const WebSocketStats& stats() const noexcept { return stats_; }
  [[nodiscard]] WebSocketStats& stats() noexcept { return stats_; }

 private:
  // Bounded so that a flood of short-lived connections cannot grow it; the netcode layer
  // drains it every update, and a lost report only means waiting for the netcode timeout.
  [[nodiscard]] std::size_t max_unreachable() const noexcept { return 1024; }

  WebSocketLimits limits_;
  std::unordered_map<Address, std::shared_ptr<Link>> links_;
  std::unordered_map<Address, std::size_t> per_source_;  // at most one entry per link
  std::vector<std::shared_ptr<Link>> expired_;
  std::deque<Datagram> inbox_;
  std::deque<Address> unreachable_;
  WebSocketStats stats_;
  TimePoint now_{};
  bool has_now_ = false;
};

}  // namespace courier::detail::ws
