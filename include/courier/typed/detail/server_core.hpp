#pragma once
/// \file
/// ServerCore: the state the typed server's parts share (the netcode server, the sessions, the
/// event queue, the counters, the relay, reconnect tokens and kicks) and the one path every
/// session takes to its end: close_session (netcode said it ended, or a host client left) or
/// close_remote (this side closes, with a reason that lingers until acked). Server<Pack> is the
/// public face; ServerIntake does each update's network work; both go through this.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "courier/channel/connection.hpp"
#include "courier/core/client_handle.hpp"
#include "courier/core/error.hpp"
#include "courier/core/little_endian.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/netcode_server.hpp"
#include "courier/typed/typed_config.hpp"
#include "courier/typed/detail/event_queue.hpp"
#include "courier/typed/detail/host_inbox.hpp"
#include "courier/typed/detail/kick_list.hpp"
#include "courier/typed/detail/server_reader.hpp"
#include "courier/typed/detail/server_relay.hpp"
#include "courier/typed/detail/session_table.hpp"
#include "courier/typed/detail/token_issuer.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/request_token.hpp"
#include "courier/typed/signal.hpp"
#include "courier/typed/typed_stats.hpp"

namespace courier::detail {

template <class Pack, class Book>
class ServerCore {
  using layout = PackLayout<Pack>;
  using Phase = SessionPhase;

 public:
  using Event = ServerEvent<Pack>;
  using NetServer = netcode::NetcodeServer<typename Pack::transport, typename Pack::crypto>;

  ServerCore(typename Pack::transport transport, ServerConfig c, Book book, std::uint64_t relay_seed)
      : config(std::move(c)), net(std::move(transport), netcode_config(config)), sessions(net.max_clients()),
        sink(std::make_shared<TokenSink>(TokenSink{this, &ServerCore::reject_from_token})), reader(sink, counters),
        relay(sessions, std::move(book), net.max_clients(), config.relay, relay_seed, counters),
        issuer(config.netcode.private_key, config.reconnect_token_lifetime.count(),
               config.reconnect_token_timeout_seconds) {}

  ServerCore(const ServerCore&) = delete;
  ServerCore& operator=(const ServerCore&) = delete;
  ~ServerCore() {
    sink->owner = nullptr;  // tokens that outlive the server do nothing
    for (const std::uint32_t slot : sessions.active())
      if (HostInbox<Pack>* inbox = sessions[slot].local()) inbox->server_gone();
  }

  template <class E>
  void push(E&& e) {
    events.emplace_back(std::in_place_type<std::decay_t<E>>, std::forward<E>(e));
  }

  // ---- the end of a session ---------------------------------------------------------------

  /// Reports the end of a session (messages it delivered stay pollable, then Disconnected, if
  /// it had Connected) and frees its slot in the typed layer; the netcode slot is the caller's.
  void close_session(std::uint32_t slot, Error reason) {
    report_end(slot, reason);
    free_session(slot, reason);
  }

  /// Sends the close frame and reports the end at once; the session lingers (packets still
  /// flow, nothing is delivered) until the frame is acked or `close_linger` passes, then the
  /// netcode slot is freed (finish_closing).
  void close_remote(std::uint32_t slot, CloseReason reason, Error error) {
    Session<Pack>& s = sessions[slot];
    std::array<std::byte, 2> frame{};
    put_le(frame.data(), static_cast<std::uint16_t>(reason));
    s.remote()->close_frame =
        s.conn->send(layout::control_channel, static_cast<std::uint32_t>(ControlFrame::close), frame).handle;
    report_end(slot, error);
    s.phase = Phase::closing;
    s.remote()->linger_until = now + config.close_linger;
    write_packets(slot);
  }

  /// An authenticated client broke the protocol: counted, closed with that reason.
  void violation(std::uint32_t slot) {
    ++counters.protocol_violations;
    close_remote(slot, CloseReason::protocol_violation, Error::protocol_violation);
  }

  /// Ends a lingering session once its close frame is acked or the linger time is up.
  void finish_closing(std::uint32_t slot) {
    Session<Pack>& s = sessions[slot];
    const RemoteSession& r = *s.remote();
    if (s.conn->status(r.close_frame).state != DeliveryState::acked && now < r.linger_until) return;
    free_session(slot, Error::disconnected_by_application);
    net.disconnect(slot);
  }

  /// Frees a session's slot in the typed layer (no event).
  void free_session(std::uint32_t slot, Error reason) {
    Session<Pack>& s = sessions[slot];
    if (s.phase == Phase::free) return;
    if (s.remote() != nullptr && s.conn != nullptr) s.conn->reset(reason);
    sessions.free(slot);
  }

  /// The next request or message a remote session received.
  [[nodiscard]] std::optional<Event> next_remote_message(std::uint32_t slot) {
    return reader.next(*sessions[slot].conn, sessions.handle_of(slot), *sessions[slot].remote());
  }

  // ---- sending ------------------------------------------------------------------------------

  void write_packets(std::uint32_t slot) noexcept {
    Session<Pack>& s = sessions[slot];
    s.unflushed = false;
    if (s.phase == Phase::free || s.remote() == nullptr) return;
    bool wrote = false;
    while (const std::size_t n = s.conn->write_packet(now, tx)) {
      (void)net.send(slot, std::span(tx).first(n));
      wrote = true;
    }
    if (wrote) sessions.mark_due(slot);  // its packets await their acks
  }

  /// Queues one frame on a remote session and remembers to write it when the event drain ends.
  SendResult send(std::uint32_t slot, std::size_t channel, std::uint32_t id, std::span<const std::byte> bytes) {
    Session<Pack>& s = sessions[slot];
    const SendResult r = s.conn->send(channel, id, bytes);
    if (r && !s.unflushed) {
      s.unflushed = true;
      unflushed.push_back(slot);
    }
    return r;
  }

  /// Writes the sessions the application sent to since their packets were last written.
  void flush_unflushed() noexcept {
    if (unflushed.empty()) return;
    for (const std::uint32_t slot : unflushed)
      if (sessions[slot].unflushed) write_packets(slot);
    unflushed.clear();
    net.flush();
  }

  /// An ack or reject without a response body.
  Signal send_answer(ClientHandle client, std::uint32_t wire, std::uint32_t frame) {
    Session<Pack>* s = sessions.connected(client);
    if (s == nullptr) return Signal{{}, client, Error::not_connected};
    if (HostInbox<Pack>* inbox = s->local()) {
      inbox->answer_without(wire, frame == layout::ack_id ? RequestStatus::acked : RequestStatus::rejected);
      return Signal{{}, client, {}, true};
    }
    std::array<std::byte, request_id_bytes> id{};
    put_le(id.data(), wire);
    const SendResult r = send(client.slot, layout::request_channel, frame, id);
    return Signal{r.handle, client, r.error};
  }

  /// Rejects of dropped tokens that met a full send queue, retried each update.
  void retry_rejects(std::uint32_t slot) {
    std::vector<std::uint32_t>& unsent = sessions[slot].remote()->unsent_rejects;
    while (!unsent.empty()) {
      if (send_answer(sessions.handle_of(slot), unsent.back(), layout::reject_id).error) return;
      unsent.pop_back();
    }
  }

  ServerConfig config;
  NetServer net;
  SessionTable<Pack> sessions;
  std::vector<std::uint32_t> unflushed;  ///< slots sent to since their packets were written
  EventQueue<Event> events;  ///< reuses its storage: no allocation per event after warm-up
  std::array<std::byte, max_datagram_payload_bytes> tx{};
  TypedCounters counters;
  std::shared_ptr<TokenSink> sink;  ///< where dropped RequestTokens reject
  ServerReader<Pack> reader;
  ServerRelay<Pack, Book> relay;
  TokenIssuer<Pack> issuer;
  KickList kicks;
  std::size_t connected = 0;  ///< sessions with a Connected event and no Disconnected yet
  TimePoint now{};
  UnixSeconds unix_now = 0;

 private:
  static netcode::NetcodeServerConfig netcode_config(const ServerConfig& c) {
    netcode::NetcodeServerConfig n = c.netcode;
    n.protocol_id = Pack::protocol_id;
    return n;
  }

  void report_end(std::uint32_t slot, Error reason) {
    Session<Pack>& s = sessions[slot];
    if (s.phase != Phase::connected) return;
    relay.leave(slot, now);
    if (s.remote() != nullptr)
      while (auto e = next_remote_message(slot)) events.push_back(std::move(*e));
    push(server_event::Disconnected{sessions.handle_of(slot), s.client_id, reason});
    --connected;
  }

  /// A dropped token's reject: queued now, or kept for the next update when the queue is full.
  static void reject_from_token(void* owner, ClientHandle client, std::uint32_t wire) noexcept {
    auto* self = static_cast<ServerCore*>(owner);
    try {
      if (self->send_answer(client, wire, layout::reject_id).error == make_error_code(Error::send_queue_full))
        self->sessions.live(client)->remote()->unsent_rejects.push_back(wire);
    } catch (...) {  // out of memory: the request times out on the client instead
    }
  }
};

}  // namespace courier::detail
