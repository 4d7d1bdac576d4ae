#pragma once
/// \file
/// RelayServer: the server's side of the relay. It knows which client holds which virtual
/// address, keeps the table of virtual sockets, forwards connection requests and answers, and
/// proxies data only between the two ends of an active socket. It enforces per-client limits
/// (open sockets, pending connects, bytes per second) and reaps sockets that stay idle or whose
/// connect is never answered. A frame about a socket that is not the sender's is dropped and
/// counted, never forwarded.
///
/// It sends through `Sink::relay_send(ClientHandle, RelayFrame, bytes) -> bool` (false: the
/// receiver's queue is full). Server<Pack> owns one when its pack has a Relay.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "courier/core/chrono.hpp"
#include "courier/core/client_handle.hpp"
#include "courier/core/random.hpp"
#include "courier/core/time.hpp"
#include "courier/relay/frames.hpp"
#include "courier/relay/relay_limits.hpp"
#include "courier/relay/virtual_address.hpp"

namespace courier {

struct RelayStats {
  std::uint64_t sockets_opened = 0;
  std::uint64_t sockets_open = 0;
  std::uint64_t connects_failed = 0;
  std::uint64_t spoofed_frames = 0;      ///< frames naming a socket that is not the sender's
  std::uint64_t limit_refusals = 0;      ///< connects refused for a limit
  std::uint64_t rate_limited_bytes = 0;  ///< data dropped for the bytes-per-second limit
  std::uint64_t forwarded_bytes = 0;
  std::uint64_t idle_closes = 0;
  std::uint64_t overflow_closes = 0;
};

template <class Sink>
class RelayServer {
 public:
  RelayServer(Sink& sink, std::size_t max_clients, RelayLimits limits, std::uint64_t seed)
      : sink_(sink), clients_(max_clients), limits_(limits), rng_(seed) {}

  /// A client connected (its hello was accepted) with this virtual address.
  void on_connected(ClientHandle c, VirtualAddress address, TimePoint now) {
    Member& m = clients_[c.slot];
    m = Member{c.generation, address, {}, 0, static_cast<double>(limits_.burst_bytes), now, now - std::chrono::seconds(1), {}, 0};
    online_[address.value] = c;
    detail::RelayFrameWriter w;
    send_to(c, detail::RelayFrame::assigned, w.u32(address.value).span());
  }

  /// A client's connection ended: every socket it was an end of closes (or fails).
  void on_disconnected(ClientHandle c) {
    Member* m = member(c);
    if (m == nullptr) return;
    const std::vector<RelaySocketId> ids = m->sockets;
    for (const RelaySocketId id : ids) {
      const auto it = sockets_.find(id);
      if (it == sockets_.end()) continue;
      const Socket s = it->second;
      remove(id);
      if (s.active) {
        send_closed(s.a == c ? s.b : s.a, id, RelayCloseReason::peer_disconnected);
      } else if (s.a == c) {
        send_closed(s.b, id, RelayCloseReason::cancelled);
      } else {
        send_failed(s.a, s.request, RelayFailure::target_offline);
      }
    }
    if (const auto o = online_.find(m->address.value); o != online_.end() && o->second == c) online_.erase(o);
    m->outbox.clear();
    m->outbox_bytes = 0;
    m->generation = 0;
  }

  /// One relay frame from client `c`. False when it breaks the relay protocol (the caller
  /// disconnects it); a frame about someone else's socket is dropped and counted, not an error.
  bool on_frame(ClientHandle c, std::uint32_t id, std::span<const std::byte> bytes, TimePoint now) {
    Member* m = member(c);
    if (m == nullptr || !detail::relay_frame_valid(id, bytes)) return false;
    const auto frame = static_cast<detail::RelayFrame>(id);
    if (!detail::client_to_server(frame)) return false;
    const auto socket = detail::get_le<std::uint32_t>(bytes.data());
    switch (frame) {
      case detail::RelayFrame::connect:
        on_connect(c, *m, socket, VirtualAddress{detail::get_le<std::uint32_t>(bytes.data() + 4)},
                   detail::get_le<std::uint16_t>(bytes.data() + 8), now);
        return true;
      case detail::RelayFrame::accept: on_answer(c, socket, std::nullopt, now); return true;
      case detail::RelayFrame::refuse: {
        const auto why = static_cast<RelayFailure>(std::to_integer<std::uint8_t>(bytes[4]));
        if (why != RelayFailure::denied && why != RelayFailure::port_not_listening) return false;
        on_answer(c, socket, why, now);
        return true;
      }
      case detail::RelayFrame::data: on_data(c, *m, socket, bytes, now); return true;
      case detail::RelayFrame::close: on_close(c, socket); return true;
      default: return false;
    }
  }

  /// Forwards held data, times out unanswered connects and closes idle sockets.
  void update(TimePoint now) {
    if (!waiting_.empty()) drain_outboxes();
    if (now < next_sweep_) return;
    next_sweep_ = now + std::chrono::milliseconds(100);
    std::vector<RelaySocketId> due;
    for (const auto& [id, s] : sockets_)
      if ((!s.active && now >= s.deadline) || (s.active && now >= s.last_data + limits_.idle_timeout)) due.push_back(id);
    for (const RelaySocketId id : due) {
      const Socket s = sockets_.at(id);
      remove(id);
      if (s.active) {
        ++stats_.idle_closes;
        send_closed(s.a, id, RelayCloseReason::idle_timeout);
        send_closed(s.b, id, RelayCloseReason::idle_timeout);
      } else {
        ++stats_.connects_failed;
        send_failed(s.a, s.request, RelayFailure::timed_out);
        send_closed(s.b, id, RelayCloseReason::cancelled);
      }
    }
  }

  [[nodiscard]] std::optional<ClientHandle> holder(VirtualAddress a) const {
    const auto it = online_.find(a.value);
    return it == online_.end() ? std::nullopt : std::optional(it->second);
  }
  [[nodiscard]] const RelayStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const RelayLimits& limits() const noexcept { return limits_; }

 private:
  /// A frame waiting for room in its receiver's queue.
  struct Pending {
    detail::RelayFrame frame;
    std::vector<std::byte> bytes;
  };
  struct Member {
    std::uint32_t generation = 0;  // 0: not online
    VirtualAddress address;
    std::vector<RelaySocketId> sockets;  // sockets it is an end of
    std::size_t pending = 0;             // its own connects not yet answered
    double allowance = 0;                // token bucket, bytes
    TimePoint refilled{};
    TimePoint last_rate_error{};
    std::deque<Pending> outbox;  // frames waiting for room in its queue, in order
    std::size_t outbox_bytes = 0;
  };
  struct Socket {
    ClientHandle a;  // initiator
    ClientHandle b;  // target
    std::uint32_t request = 0;  // a's request id
    bool active = false;
    TimePoint deadline{};   // pending: when the connect times out
    TimePoint last_data{};  // active: last data either way
  };

  [[nodiscard]] Member* member(ClientHandle c) noexcept {
    if (c.slot >= clients_.size()) return nullptr;
    Member& m = clients_[c.slot];
    return m.generation != 0 && m.generation == c.generation ? &m : nullptr;
  }

  void on_connect(ClientHandle c, Member& m, std::uint32_t request, VirtualAddress target, std::uint16_t port, TimePoint now) {
    const auto to = online_.find(target.value);
    RelayFailure failure{};
    bool ok = false;
    if (!target.valid() || target == m.address) failure = RelayFailure::invalid_target;
    else if (m.pending >= limits_.max_pending_per_client || m.sockets.size() >= limits_.max_sockets_per_client) failure = RelayFailure::limit_exceeded;
    else if (to == online_.end()) failure = RelayFailure::target_offline;
    else if (member(to->second)->sockets.size() >= limits_.max_sockets_per_client) failure = RelayFailure::limit_exceeded;
    else ok = true;
    if (!ok) {
      if (failure == RelayFailure::limit_exceeded) ++stats_.limit_refusals;
      ++stats_.connects_failed;
      return send_failed(c, request, failure);
    }
    const ClientHandle b = to->second;
    const RelaySocketId id = new_socket_id();
    sockets_[id] = Socket{c, b, request, false, now + limits_.connect_timeout, now};
    m.sockets.push_back(id);
    ++m.pending;
    member(b)->sockets.push_back(id);
    ++stats_.sockets_open;
    detail::RelayFrameWriter w;
    send_to(b, detail::RelayFrame::incoming, w.u32(id).u32(m.address.value).u16(port).span());
  }

  void on_answer(ClientHandle c, RelaySocketId id, std::optional<RelayFailure> refusal, TimePoint now) {
    const auto it = sockets_.find(id);
    if (it == sockets_.end() || it->second.active || !(it->second.b == c)) {
      ++stats_.spoofed_frames;
      return;
    }
    Socket& s = it->second;
    if (refusal) {
      const Socket gone = s;
      remove(id);
      ++stats_.connects_failed;
      return send_failed(gone.a, gone.request, *refusal);
    }
    if (Member* a = member(s.a); a != nullptr && a->pending > 0) --a->pending;
    s.active = true;
    s.last_data = now;
    ++stats_.sockets_opened;
    detail::RelayFrameWriter w;
    send_to(s.a, detail::RelayFrame::established, w.u32(s.request).u32(id).u32(member(c)->address.value).span());
  }

  void on_data(ClientHandle c, Member& m, RelaySocketId id, std::span<const std::byte> bytes, TimePoint now) {
    const auto it = sockets_.find(id);
    if (it == sockets_.end() || !it->second.active || !(it->second.a == c || it->second.b == c)) {
      ++stats_.spoofed_frames;
      return;
    }
    const std::size_t data = bytes.size() - 4;
    if (!take_allowance(m, data, now)) {
      stats_.rate_limited_bytes += data;
      if (now >= m.last_rate_error + std::chrono::seconds(1)) {
        m.last_rate_error = now;
        detail::RelayFrameWriter w;
        send_to(c, detail::RelayFrame::error, w.u8(static_cast<std::uint8_t>(RelayError::rate_limited)).u32(id).span());
      }
      return;
    }
    Socket& s = it->second;
    s.last_data = now;
    const ClientHandle to = s.a == c ? s.b : s.a;
    Member* receiver = member(to);
    if (receiver != nullptr && receiver->outbox_bytes + bytes.size() > limits_.max_backlog_bytes) {
      ++stats_.overflow_closes;  // the receiver is not keeping up: close rather than lose data silently
      remove(id);
      send_closed(c, id, RelayCloseReason::overflow);
      send_closed(to, id, RelayCloseReason::overflow);
      return;
    }
    send_to(to, detail::RelayFrame::data_in, bytes);
    stats_.forwarded_bytes += data;
  }

  /// Sends a frame to a client, in order: when its queue is full (or older frames wait), the
  /// frame waits in the client's outbox and update() retries. Data is bounded by
  /// max_backlog_bytes (checked by the caller); control frames are small and bounded by the
  /// number of sockets, so they always wait rather than vanish.
  void send_to(ClientHandle to, detail::RelayFrame frame, std::span<const std::byte> bytes) {
    Member* m = member(to);
    if (m == nullptr) return;
    if (m->outbox.empty() && sink_.relay_send(to, frame, bytes)) return;
    if (m->outbox.empty()) waiting_.push_back(to);
    m->outbox.push_back(Pending{frame, {bytes.begin(), bytes.end()}});
    m->outbox_bytes += bytes.size();
  }

  /// Retries the frames waiting for full receivers, in order.
  void drain_outboxes() {
    std::vector<ClientHandle> still;
    for (const ClientHandle c : waiting_) {
      Member* m = member(c);
      if (m == nullptr) continue;
      while (!m->outbox.empty() && sink_.relay_send(c, m->outbox.front().frame, m->outbox.front().bytes)) {
        m->outbox_bytes -= m->outbox.front().bytes.size();
        m->outbox.pop_front();
      }
      if (!m->outbox.empty()) still.push_back(c);
    }
    waiting_ = std::move(still);
  }

  void on_close(ClientHandle c, RelaySocketId id) {
    const auto it = sockets_.find(id);
    if (it == sockets_.end() || !(it->second.a == c || it->second.b == c)) {
      ++stats_.spoofed_frames;
      return;
    }
    const Socket s = it->second;
    remove(id);
    if (s.active) return send_closed(s.a == c ? s.b : s.a, id, RelayCloseReason::by_peer);
    if (s.a == c) return send_closed(s.b, id, RelayCloseReason::cancelled);  // the initiator gave up
    send_failed(s.a, s.request, RelayFailure::denied);                       // the target closed instead of answering
  }

  bool take_allowance(Member& m, std::size_t bytes, TimePoint now) noexcept {
    const double seconds = std::chrono::duration<double>(now - m.refilled).count();
    m.refilled = now;
    m.allowance = std::min(static_cast<double>(limits_.burst_bytes),
                           m.allowance + seconds * static_cast<double>(limits_.bytes_per_second));
    if (m.allowance < static_cast<double>(bytes)) return false;
    m.allowance -= static_cast<double>(bytes);
    return true;
  }

  void remove(RelaySocketId id) {
    const auto it = sockets_.find(id);
    if (it == sockets_.end()) return;
    const Socket s = it->second;
    if (!s.active)
      if (Member* a = member(s.a); a != nullptr && a->pending > 0) --a->pending;
    for (const ClientHandle end : {s.a, s.b})
      if (Member* m = member(end)) std::erase(m->sockets, id);
    sockets_.erase(it);
    --stats_.sockets_open;
  }

  RelaySocketId new_socket_id() {
    for (;;) {
      const auto id = static_cast<RelaySocketId>(rng_.next());
      if (id != 0 && !sockets_.contains(id)) return id;
    }
  }

  void send_failed(ClientHandle to, std::uint32_t request, RelayFailure why) {
    detail::RelayFrameWriter w;
    send_to(to, detail::RelayFrame::failed, w.u32(request).u8(static_cast<std::uint8_t>(why)).span());
  }
  void send_closed(ClientHandle to, RelaySocketId id, RelayCloseReason why) {
    detail::RelayFrameWriter w;
    send_to(to, detail::RelayFrame::closed, w.u32(id).u8(static_cast<std::uint8_t>(why)).span());
  }

  Sink& sink_;
  std::vector<Member> clients_;  // by slot
  std::unordered_map<std::uint32_t, ClientHandle> online_;  // virtual address → client
  std::unordered_map<RelaySocketId, Socket> sockets_;
  std::vector<ClientHandle> waiting_;  // clients whose outbox holds frames
  RelayLimits limits_;
  RelayStats stats_;
  Rng rng_;
  TimePoint next_sweep_{};
};

}  // namespace courier
