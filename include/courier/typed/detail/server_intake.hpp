#pragma once
/// \file
/// ServerIntake: each update's network work of the typed server — netcode's connect and
/// disconnect events, received payloads, the hello each client must send first (schema hash,
/// kicks, connect message), and every remote session's tick (resends, reconnect tokens, relay
/// frames, lingering closes). It changes sessions only through ServerCore's one end path.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>

#include "courier/channel/connection.hpp"
#include "courier/core/little_endian.hpp"
#include "courier/typed/detail/dispatch.hpp"
#include "courier/typed/detail/server_core.hpp"
#include "courier/typed/detail/session_table.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"

namespace courier::detail {

template <class Pack, class Book>
class ServerIntake {
  using layout = PackLayout<Pack>;
  using schema = typename Pack::schema;
  using Phase = SessionPhase;
  using ConnectMessage = ConnectMessageOf<Pack>;

 public:
  explicit ServerIntake(ServerCore<Pack, Book>& core) noexcept : core_(core) {}

  /// Reads what netcode received, admits and ends sessions, and runs every remote session's tick.
  void run() {
    // Payloads first: one accepted just before its client's disconnect in this update still
    // belongs to the session the disconnect event then closes.
    read_payloads();
    while (handle_next_netcode_event()) {
    }
    if (core_.now >= next_sweep_) {
      next_sweep_ = core_.now + quiet_sweep_interval;
      (void)core_.sessions.take_due();
      // Backwards: a tick may free the session, which moves the last active slot into its place.
      for (std::size_t i = core_.sessions.active().size(); i-- > 0;) service(core_.sessions.active()[i]);
    } else {
      for (const std::uint32_t slot : core_.sessions.take_due()) service(slot);
    }
  }

  /// How often every session is serviced. Between sweeps only the due ones are: those that
  /// received, were sent to or still have packets or messages under way. A quiet session's
  /// timers (hello timeout, reconnect token, quiet trim) run in seconds, so a
  /// sweep this often keeps them on time while a server of thousands of idle clients that
  /// updates on every datagram visits each idle connection 50 times a second, not thousands.
  static constexpr Duration quiet_sweep_interval = std::chrono::milliseconds(20);

 private:
  /// Handles the oldest netcode event; false when there is none.
  bool handle_next_netcode_event() {
    const auto e = core_.net.poll_event();
    if (!e) return false;
    Session<Pack>& s = core_.sessions[e->client_index];
    if (e->type == netcode::ServerEventType::client_connected) {
      if (s.phase != Phase::free) core_.close_session(e->client_index, Error::closed_by_peer);
      RemoteSession r;
      r.net_connection = e->connection;
      r.address = e->address;
      r.hello_until = core_.now + core_.config.hello_timeout;
      core_.sessions.open(e->client_index, e->client_id, Phase::hello, std::move(r));
      if (s.conn == nullptr) s.conn = std::make_unique<Connection>(layout::connection_config(core_.config));
      core_.sessions.mark_due(e->client_index);
    } else if (e->type == netcode::ServerEventType::client_disconnected) {
      if (s.phase != Phase::free && s.remote() != nullptr && s.remote()->net_connection == e->connection)
        core_.close_session(e->client_index, netcode::to_error(e->reason));
    }
    return true;
  }

  [[nodiscard]] bool session_takes(const netcode::ReceivedPayload& p) const noexcept {
    const Session<Pack>& s = core_.sessions[p.client_index];
    return s.phase != Phase::free && s.remote() != nullptr && s.remote()->net_connection == p.connection;
  }

  void read_payloads() {
    while (const auto p = core_.net.receive()) {
      // A client that connected during this update's net.update() may already have sent its
      // hello (it answers the keep-alive at once). Events and payloads are both queued in
      // arrival order, so handling events until the payload's session opens keeps that hello;
      // every payload of a connection an earlier event ends was ahead of this one and is read.
      while (!session_takes(*p) && handle_next_netcode_event()) {
      }
      if (!session_takes(*p)) {
        ++core_.counters.dropped_payloads;  // its session ended (or never began) before it was read
        continue;
      }
      Session<Pack>& s = core_.sessions[p->client_index];
      if (s.conn->read_packet(core_.now, p->bytes)) {
        if (s.phase != Phase::closing) core_.violation(p->client_index);  // a closing peer was counted already
        continue;
      }
      core_.sessions.mark_ready(p->client_index);
      core_.sessions.mark_due(p->client_index);
      if (s.conn->acks_backlogged()) core_.write_packets(p->client_index);  // ack a long burst as it comes
    }
  }

  /// One update of one remote session.
  void service(std::uint32_t slot) {
    Session<Pack>& s = core_.sessions[slot];
    if (s.phase == Phase::free || s.remote() == nullptr) return;  // ended since it was marked due
    ++core_.counters.sessions_serviced;
    if (s.phase == Phase::closing) {
      s.conn->update(core_.now);
      core_.write_packets(slot);
      core_.finish_closing(slot);
      if (s.phase == Phase::closing) core_.sessions.mark_due(slot);  // until acked or the linger ends
      return;
    }
    read_control(slot);
    if (s.phase == Phase::hello && core_.now >= s.remote()->hello_until)
      return core_.close_remote(slot, CloseReason::protocol_violation, Error::timed_out);
    if (s.phase != Phase::connected && s.phase != Phase::hello) return;
    if (s.phase == Phase::connected && core_.now >= s.remote()->next_token) send_reconnect_token(slot);
    if (!core_.relay.read(slot, core_.now)) return core_.violation(slot);
    core_.retry_rejects(slot);
    s.conn->update(core_.now);
    core_.write_packets(slot);
    if (!s.conn->quiet() || !s.remote()->unsent_rejects.empty()) core_.sessions.mark_due(slot);
  }

  void read_control(std::uint32_t slot) {
    Session<Pack>& s = core_.sessions[slot];
    while (s.phase == Phase::hello || s.phase == Phase::connected) {
      const auto m = s.conn->receive(layout::control_channel);
      if (!m) return;
      if (s.phase != Phase::hello || m->message_id != static_cast<std::uint32_t>(ControlFrame::client_hello) ||
          m->bytes.size() < 8)
        return core_.violation(slot);
      on_client_hello(slot, m->bytes);
    }
  }

  void on_client_hello(std::uint32_t slot, std::span<const std::byte> bytes) {
    Session<Pack>& s = core_.sessions[slot];
    if (get_le<std::uint64_t>(bytes.data()) != Pack::schema_hash) {
      ++core_.counters.pack_mismatches;
      return core_.close_remote(slot, CloseReason::pack_mismatch, Error::protocol_mismatch);
    }
    if (const auto kick = core_.kicks.barred(s.client_id, core_.now))
      return core_.close_remote(slot, *kick, Error::rejected_by_application);
    auto message = connect_message_of(bytes.subspan(8));
    if (!message) return core_.violation(slot);
    s.phase = Phase::connected;
    ++core_.connected;
    core_.push(server_event::Connected<ConnectMessage>{core_.sessions.handle_of(slot), s.client_id,
                                                       s.remote()->address, false, std::move(*message)});
    std::array<std::byte, control_hello_bytes> hello{};
    put_le(hello.data(), Pack::schema_hash);
    put_le(hello.data() + 8, slot);
    put_le(hello.data() + 12, static_cast<std::uint32_t>(core_.net.max_clients()));
    (void)s.conn->send(layout::control_channel, static_cast<std::uint32_t>(ControlFrame::server_hello), hello);
    send_reconnect_token(slot);
    core_.relay.join(slot, core_.now);
    core_.sessions.mark_ready(slot);
  }

  [[nodiscard]] static std::optional<ConnectMessage> connect_message_of(std::span<const std::byte> bytes) {
    if constexpr (layout::has_connect_message) return decode_as<schema, ConnectMessage>(bytes);
    else return bytes.empty() ? std::optional<ConnectMessage>(std::in_place) : std::nullopt;
  }

  /// A fresh single-use token for this client id, this server only (the addresses of the link
  /// the client came over first), short-lived.
  void send_reconnect_token(std::uint32_t slot) {
    Session<Pack>& s = core_.sessions[slot];
    s.remote()->next_token = core_.now + core_.config.reconnect_token_lifetime / 3;
    const auto token =
        core_.issuer.reconnect(s.client_id, core_.net.client_user_data(slot),
                               core_.net.public_addresses(core_.net.client_address(slot).link()), core_.unix_now);
    if (token) (void)s.conn->send(layout::token_channel, 0, token->bytes());
  }

  ServerCore<Pack, Book>& core_;
  TimePoint next_sweep_{};  // when every session is serviced next
};

}  // namespace courier::detail
