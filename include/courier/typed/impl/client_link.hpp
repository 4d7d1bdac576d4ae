#pragma once
/// \file
/// ClientLink's function definitions, out of the class so that the separately compiled mode
/// (core/config.hpp) can compile ClientLink<Udp, Netcode102> once (client_link.hpp declares it
/// `extern template` there). Included by client_link.hpp in both modes: other transports and
/// crypto policies are instantiated where they are used.

#include <utility>

#include "courier/core/little_endian.hpp"
#include "courier/typed/detail/client_link.hpp"
#include "courier/typed/layout.hpp"

namespace courier::detail {

template <class T, class C>
ClientLink<T, C>::ClientLink(T transport, ClientConfig c, const LinkLayout& l, const ConnectionConfig& connection)
    : config(std::move(c)), layout(l), net(std::move(transport), config.netcode), conn(connection),
      reconnector(config.reconnect), scratch(l.scratch_bytes), relay(conn, l.relay_channel) {}

template <class T, class C>
bool ClientLink<T, C>::link_up() const noexcept {
  return state == ClientState::handshaking || state == ClientState::connected;
}

template <class T, class C>
std::error_code ClientLink<T, C>::start(const ConnectToken& token) noexcept {
  disconnect();
  if (token.protocol_id() != layout.protocol_id) {
    emit(client_event::Disconnected{Error::protocol_mismatch, netcode::DisconnectReason::none, false});
    return Error::protocol_mismatch;
  }
  reconnector.forget();
  lost_requests.clear();
  reconnected = false;
  violated = false;
  pending_token = token;
  state = ClientState::connecting;
  return {};
}

template <class T, class C>
void ClientLink<T, C>::tick(TimePoint time) {
  now = time;
  if (pending_token) start_netcode(std::exchange(pending_token, std::nullopt).value());
  net.update(now);
  // Payloads before events: what the server sent just before it disconnected (a close
  // frame, last messages) is read before the disconnect is handled.
  read_payloads();
  if (link_up()) read_frames();
  handle_netcode_events();
  if (state == ClientState::handshaking && now >= hello_until) on_hello_timeout();
  if (link_up()) conn.update(now);
  expire_requests(now);
  write_packets();
  maybe_reconnect();
  net.flush();
}

template <class T, class C>
void ClientLink<T, C>::disconnect() noexcept {
  if (state == ClientState::disconnected) return;
  write_packets();
  end_for_good(Error::disconnected_by_application);
}

template <class T, class C>
void ClientLink<T, C>::flush() noexcept {
  write_packets();
  net.flush();
}

template <class T, class C>
void ClientLink<T, C>::write_packets() noexcept {
  unflushed = false;
  if (!link_up()) return;
  while (const std::size_t n = conn.write_packet(now, tx)) (void)net.send(std::span(tx).first(n));
}

/// The first update after connect(): netcode starts with that update's time.
template <class T, class C>
void ClientLink<T, C>::start_netcode(const ConnectToken& token) {
  if (const std::error_code ec = net.connect(token.bytes(), now)) {
    while (net.poll_event()) {
    }
    emit(client_event::Disconnected{static_cast<Error>(ec.value()), netcode::DisconnectReason::none, false});
    state = ClientState::disconnected;
  }
}

template <class T, class C>
void ClientLink<T, C>::handle_netcode_events() {
  while (const auto e = net.poll_event()) {
    if (e->type == netcode::ClientEventType::connected) on_netcode_connected();
    else on_netcode_ended(e->reason);
  }
}

template <class T, class C>
void ClientLink<T, C>::on_netcode_connected() {
  state = ClientState::handshaking;
  hello_until = now + config.hello_timeout;
  put_le(scratch.data(), layout.schema_hash);
  const std::size_t n = 8 + encode_connect_message(std::span(scratch).subspan(8));
  (void)conn.send(layout.control_channel, static_cast<std::uint32_t>(ControlFrame::client_hello),
                  std::span<const std::byte>(scratch.data(), n));
}

/// Losses the server's reconnect token can mend (not a denial or this side's own doing).
[[nodiscard]] constexpr bool worth_reconnecting(netcode::DisconnectReason r) noexcept {
  return r == netcode::DisconnectReason::timed_out || r == netcode::DisconnectReason::disconnected_by_peer ||
         r == netcode::DisconnectReason::server_stopped;
}

/// netcode says the connection (or an attempt) ended.
template <class T, class C>
void ClientLink<T, C>::on_netcode_ended(netcode::DisconnectReason reason) {
  const Error error = netcode::to_error(reason);
  if (state == ClientState::reconnecting || (state == ClientState::handshaking && reconnector.attempt_running()))
    return attempt_failed(error);
  if (state == ClientState::disconnected) return;
  const bool was_up = link_up();
  if (was_up) tear_down(error);
  const bool retry = was_up && worth_reconnecting(reason) && reconnector.begin(error, now);
  emit(client_event::Disconnected{error, reason, retry});
  state = retry ? ClientState::reconnecting : ClientState::disconnected;
}

/// A reconnect attempt died before the server's hello; the next one waits its backoff.
template <class T, class C>
void ClientLink<T, C>::attempt_failed(Error error) {
  if (state == ClientState::handshaking) conn.reset(error);
  state = ClientState::reconnecting;
  reconnector.attempt_failed(error, now);
}

/// The end of a connection that was up (handshaking or connected), whatever ended it: what
/// it delivered stays pollable, its relay sockets close, its pending requests end, and the
/// Connection starts over.
template <class T, class C>
void ClientLink<T, C>::tear_down(Error reason) {
  if (state == ClientState::connected) {
    keep_delivered_messages();
    if (layout.has_relay) relay.on_connection_lost();
  }
  lost_requests = end_requests();
  conn.reset(reason);
}

/// netcode's own disconnect, its events (the end of this connection) discarded.
template <class T, class C>
void ClientLink<T, C>::disconnect_quietly() noexcept {
  net.disconnect();
  while (net.poll_event()) {
  }
}

/// This side ends the connection for good (the application, a protocol violation, a hello
/// timeout or mismatch, the server's close frame): netcode tells the server, the connection
/// is torn down, and no reconnect follows. The caller reports why, after what the teardown
/// reported.
template <class T, class C>
void ClientLink<T, C>::end_for_good(Error reason) noexcept {
  disconnect_quietly();
  if (link_up()) tear_down(reason);
  reconnector.forget();
  pending_token.reset();
  violated = false;
  state = ClientState::disconnected;
}

template <class T, class C>
void ClientLink<T, C>::fail_protocol() {
  ++counters.protocol_violations;
  end_for_good(Error::protocol_violation);
  emit(client_event::Disconnected{Error::protocol_violation, netcode::DisconnectReason::disconnected_by_application,
                                  false});
}

/// netcode connected but the server never said hello: the attempt failed.
template <class T, class C>
void ClientLink<T, C>::on_hello_timeout() {
  if (reconnector.attempt_running()) {
    disconnect_quietly();
    return attempt_failed(Error::connection_timed_out);
  }
  end_for_good(Error::connection_timed_out);
  emit(client_event::Disconnected{Error::connection_timed_out, netcode::DisconnectReason::none, false});
}

template <class T, class C>
void ClientLink<T, C>::maybe_reconnect() {
  if (state != ClientState::reconnecting || reconnector.waiting(now)) return;
  if (reconnector.exhausted(now)) {
    emit(client_event::IsDead{reconnector.reason(), std::exchange(lost_requests, {})});
    reconnector.forget();
    state = ClientState::disconnected;
    return;
  }
  reconnected = true;
  if (net.connect(reconnector.start_attempt().bytes(), now)) reconnector.attempt_failed(reconnector.reason(), now);
}

// ---- receive path ---------------------------------------------------------------------

template <class T, class C>
void ClientLink<T, C>::read_payloads() {
  while (const auto p = net.receive()) {
    if (!link_up()) {
      ++counters.dropped_payloads;
      continue;
    }
    if (conn.read_packet(now, p->bytes)) return fail_protocol();
    if (conn.acks_backlogged()) write_packets();  // ack a long burst as it comes
  }
}

/// Control, reconnect tokens, relay frames and answers, in that order.
template <class T, class C>
void ClientLink<T, C>::read_frames() {
  read_control();
  while (link_up()) {
    const auto m = conn.receive(layout.token_channel);
    if (!m) break;
    if (!reconnector.keep(m->bytes, now)) return fail_protocol();
  }
  while (layout.has_relay && state == ClientState::connected) {
    const auto m = conn.receive(layout.relay_channel);
    if (!m) break;
    if (!relay.on_frame(m->message_id, m->bytes)) return fail_protocol();
  }
  if (violated || (link_up() && !read_answers())) return fail_protocol();
  if (link_up()) advance_requests();
}

template <class T, class C>
void ClientLink<T, C>::read_control() {
  while (link_up()) {
    const auto m = conn.receive(layout.control_channel);
    if (!m) return;
    const auto frame = static_cast<ControlFrame>(m->message_id);
    if (frame == ControlFrame::server_hello) {
      on_server_hello(m->bytes);
    } else if (frame == ControlFrame::close && m->bytes.size() == 2) {
      const auto reason = static_cast<CloseReason>(get_le<std::uint16_t>(m->bytes.data()));
      end_for_good(Error::closed_by_peer);
      return emit(client_event::ClosedByServer{reason});
    } else {
      return fail_protocol();
    }
  }
}

template <class T, class C>
void ClientLink<T, C>::on_server_hello(std::span<const std::byte> b) {
  if (b.size() != control_hello_bytes || state != ClientState::handshaking) return fail_protocol();
  if (get_le<std::uint64_t>(b.data()) != layout.schema_hash) {
    end_for_good(Error::protocol_mismatch);
    return emit(client_event::Disconnected{Error::protocol_mismatch,
                                           netcode::DisconnectReason::disconnected_by_application, false});
  }
  state = ClientState::connected;
  if (layout.has_relay) relay.set_up(true);
  reconnector.attempt_succeeded();
  lost_requests.clear();
  emit(client_event::Connected{get_le<std::uint32_t>(b.data() + 8), reconnected});
}

}  // namespace courier::detail
