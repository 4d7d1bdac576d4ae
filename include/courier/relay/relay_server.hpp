#pragma once
/// \file
/// RelayServer: the server's side of the relay. It knows which client holds which virtual
/// address, keeps the table of virtual sockets, forwards connection requests and answers, and
/// proxies data only between the two ends of an active socket. It enforces per-client limits
/// (open sockets, pending connects, bytes per second) and reaps sockets that stay idle or whose
/// connect is never answered. A frame about a socket that is not the sender's is dropped and
/// counted, never forwarded.
///
/// It sends through a RelaySink. Server<Pack> owns one when its pack has a Relay. It is not a
/// template (the sink is an interface, called once per frame), so the separately compiled mode
/// (core/config.hpp) compiles it once.

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
#include "courier/core/config.hpp"
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

/// Where RelayServer's frames go: one frame to one connected client. False when the client's
/// queue cannot take it now; the server keeps the frame in that client's backlog and retries.
class RelaySink {
 public:
  virtual bool relay_send(ClientHandle to, detail::RelayFrame frame, std::span<const std::byte> bytes) = 0;

 protected:
  RelaySink() = default;
  RelaySink(const RelaySink&) = default;
  RelaySink& operator=(const RelaySink&) = default;
  ~RelaySink() = default;
};

class RelayServer {
 public:
  RelayServer(RelaySink& sink, std::size_t max_clients, RelayLimits limits, std::uint64_t seed)
      : sink_(sink), clients_(max_clients), limits_(limits), rng_(seed) {}

  /// A client connected (its hello was accepted) with this virtual address.
  void on_connected(ClientHandle c, VirtualAddress address, TimePoint now);

  /// A client's connection ended: every socket it was an end of closes (or fails).
  void on_disconnected(ClientHandle c);

  /// One relay frame from client `c`. False when it breaks the relay protocol (the caller
  /// disconnects it); a frame about someone else's socket is dropped and counted, not an error.
  bool on_frame(ClientHandle c, std::uint32_t id, std::span<const std::byte> bytes, TimePoint now);

  /// Forwards held data, times out unanswered connects and closes idle sockets.
  void update(TimePoint now);

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

  [[nodiscard]] Member* member(ClientHandle c) noexcept;

  void on_connect(ClientHandle c, Member& m, std::uint32_t request, VirtualAddress target, std::uint16_t port, TimePoint now);

  void on_answer(ClientHandle c, RelaySocketId id, std::optional<RelayFailure> refusal, TimePoint now);

  void on_data(ClientHandle c, Member& m, RelaySocketId id, std::span<const std::byte> bytes, TimePoint now);

  /// Sends a frame to a client, in order: when its queue is full (or older frames wait), the
  /// frame waits in the client's outbox and update() retries. Data is bounded by
  /// max_backlog_bytes (checked by the caller); control frames are small and bounded by the
  /// number of sockets, so they always wait rather than vanish.
  void send_to(ClientHandle to, detail::RelayFrame frame, std::span<const std::byte> bytes);

  /// Retries the frames waiting for full receivers, in order.
  void drain_outboxes();

  void on_close(ClientHandle c, RelaySocketId id);

  bool take_allowance(Member& m, std::size_t bytes, TimePoint now) noexcept;

  void remove(RelaySocketId id);

  RelaySocketId new_socket_id();

  void send_failed(ClientHandle to, std::uint32_t request, RelayFailure why) {
    detail::RelayFrameWriter w;
    send_to(to, detail::RelayFrame::failed, w.u32(request).u8(static_cast<std::uint8_t>(why)).span());
  }
  void send_closed(ClientHandle to, RelaySocketId id, RelayCloseReason why) {
    detail::RelayFrameWriter w;
    send_to(to, detail::RelayFrame::closed, w.u32(id).u8(static_cast<std::uint8_t>(why)).span());
  }

  RelaySink& sink_;
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

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/relay/impl/relay_server.hpp"
#endif
