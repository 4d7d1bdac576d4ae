#pragma once
/// \file
/// ClientCore: the typed client's state and the life of its connection — netcode's events, the
/// hello, the frames the server sends on the control, token, relay and request channels, and
/// the one way a connection ends (tear_down, through end_for_good when this side ends it, or
/// on a loss that a reconnect may mend). Client<Pack> is the public face over it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "courier/channel/connection.hpp"
#include "courier/core/error.hpp"
#include "courier/core/little_endian.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/netcode_client.hpp"
#include "courier/netcode/token.hpp"
#include "courier/relay/relay_client.hpp"
#include "courier/typed/client_state.hpp"
#include "courier/typed/typed_config.hpp"
#include "courier/typed/detail/client_requests.hpp"
#include "courier/typed/detail/dispatch.hpp"
#include "courier/typed/detail/event_queue.hpp"
#include "courier/typed/detail/reconnector.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/typed_stats.hpp"

namespace courier::detail {

template <class Pack>
class ClientCore {
  using layout = PackLayout<Pack>;
  using schema = typename Pack::schema;
  static constexpr bool has_connect_message = layout::has_connect_message;

 public:
  using Event = ClientEvent<Pack>;
  using NetClient = netcode::NetcodeClient<typename Pack::transport, typename Pack::crypto>;
  using ConnectMessage = ConnectMessageOf<Pack>;

  ClientCore(typename Pack::transport transport, ClientConfig c)
      : config(std::move(c)), net(std::move(transport), config.netcode), conn(layout::connection_config(config)),
        requests(config.request_capacity, conn, events, counters), reconnector(config.reconnect),
        scratch(layout::largest_frame + request_id_bytes), relay(conn, layout::relay_channel) {}

  [[nodiscard]] bool link_up() const noexcept {
    return state == ClientState::handshaking || state == ClientState::connected;
  }

  template <class E>
  void push(E&& e) {
    events.emplace_back(std::in_place_type<std::decay_t<E>>, std::forward<E>(e));
  }

  /// The first update after connect(): netcode starts with that update's time.
  void start_netcode(const ConnectToken& token) {
    if (const std::error_code ec = net.connect(token.bytes(), now)) {
      while (net.poll_event()) {
      }
      push(client_event::Disconnected{static_cast<Error>(ec.value()), netcode::DisconnectReason::none, false});
      state = ClientState::disconnected;
    }
  }

  void handle_netcode_events() {
    while (const auto e = net.poll_event()) {
      if (e->type == netcode::ClientEventType::connected) on_netcode_connected();
      else on_netcode_ended(e->reason);
    }
  }

  void on_netcode_connected() {
    state = ClientState::handshaking;
    hello_until = now + config.hello_timeout;
    detail::put_le(scratch.data(), Pack::schema_hash);
    std::size_t n = 8;
    if constexpr (has_connect_message) n += schema::encode(connect_message, std::span(scratch).subspan(8)).size;
    (void)conn.send(layout::control_channel, static_cast<std::uint32_t>(detail::ControlFrame::client_hello),
                     std::span<const std::byte>(scratch.data(), n));
  }

  /// netcode says the connection (or an attempt) ended.
  void on_netcode_ended(netcode::DisconnectReason reason) {
    const Error error = netcode::to_error(reason);
    if (state == ClientState::reconnecting || (state == ClientState::handshaking && reconnector.attempt_running()))
      return attempt_failed(error);
    if (state == ClientState::disconnected) return;
    const bool was_up = link_up();
    if (was_up) tear_down(error);
    const bool retry = was_up && worth_reconnecting(reason) && reconnector.begin(error, now);
    push(client_event::Disconnected{error, reason, retry});
    state = retry ? ClientState::reconnecting : ClientState::disconnected;
  }

  /// Losses the server's reconnect token can mend (not a denial or this side's own doing).
  [[nodiscard]] static bool worth_reconnecting(netcode::DisconnectReason r) noexcept {
    return r == netcode::DisconnectReason::timed_out || r == netcode::DisconnectReason::disconnected_by_peer ||
           r == netcode::DisconnectReason::server_stopped;
  }

  /// A reconnect attempt died before the server's hello; the next one waits its backoff.
  void attempt_failed(Error error) {
    if (state == ClientState::handshaking) conn.reset(error);
    state = ClientState::reconnecting;
    reconnector.attempt_failed(error, now);
  }

  /// The end of a connection that was up (handshaking or connected), whatever ended it: what
  /// it delivered stays pollable, its relay sockets close, its pending requests end, and the
  /// Connection starts over.
  void tear_down(Error reason) {
    if (state == ClientState::connected) {
      while (auto m = next_channel_message()) events.push_back(std::move(*m));
      if constexpr (layout::has_relay) relay.on_connection_lost();
    }
    lost_requests = requests.end_all();
    conn.reset(reason);
  }

  /// This side ends the connection for good (the application, a protocol violation, a hello
  /// timeout or mismatch, the server's close frame): netcode tells the server, the connection
  /// is torn down, `notice` (if any) is reported, and no reconnect follows.
  void end_for_good(Error reason, std::optional<Event> notice) noexcept {
    net.disconnect();
    while (net.poll_event()) {
    }
    if (link_up()) tear_down(reason);
    if (notice) events.push_back(std::move(*notice));
    reconnector.forget();
    pending_token.reset();
    violated = false;
    state = ClientState::disconnected;
  }

  void fail_protocol() {
    ++counters.protocol_violations;
    end_for_good(Error::protocol_violation, Event(client_event::Disconnected{
        Error::protocol_violation, netcode::DisconnectReason::disconnected_by_application, false}));
  }

  /// netcode connected but the server never said hello: the attempt failed.
  void on_hello_timeout() {
    if (reconnector.attempt_running()) {
      net.disconnect();
      while (net.poll_event()) {
      }
      return attempt_failed(Error::connection_timed_out);
    }
    end_for_good(Error::connection_timed_out,
                 Event(client_event::Disconnected{Error::connection_timed_out, netcode::DisconnectReason::none, false}));
  }

  void maybe_reconnect() {
    if (state != ClientState::reconnecting || reconnector.waiting(now)) return;
    if (reconnector.exhausted(now)) {
      push(client_event::IsDead{reconnector.reason(), std::exchange(lost_requests, {})});
      reconnector.forget();
      state = ClientState::disconnected;
      return;
    }
    reconnected = true;
    if (net.connect(reconnector.start_attempt().bytes(), now)) reconnector.attempt_failed(reconnector.reason(), now);
  }

  /// The next message on the pack's channels; a message on a channel only clients send on is
  /// a protocol violation (the connection is closed at the next update).
  std::optional<Event> next_channel_message() {
    for (std::size_t ch = 0; ch < layout::user_channels; ++ch) {
      while (const auto m = conn.receive(ch)) {
        std::optional<Event> e;
        detail::with_channel_type<typename layout::channels>(ch, m->message_id, [&]<class T>() {
          if constexpr (layout::template server_sends<T>) {
            if (auto value = detail::decode_as<schema, T>(m->bytes))
              e.emplace(std::in_place_type<client_event::Message<T>>, client_event::Message<T>{std::move(*value)});
          } else {
            violated = true;
          }
        });
        if (e) return e;
        if (!violated) ++counters.undecodable_messages;
      }
    }
    return std::nullopt;
  }

  void write_packets() noexcept {
    unflushed = false;
    if (!link_up()) return;
    while (const std::size_t n = conn.write_packet(now, tx)) (void)net.send(std::span(tx).first(n));
  }

  // ---- receive path ---------------------------------------------------------------------

  void read_payloads() {
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
  void read_frames() {
    read_control();
    while (link_up()) {
      const auto m = conn.receive(layout::token_channel);
      if (!m) break;
      if (!reconnector.keep(m->bytes, now)) return fail_protocol();
    }
    if constexpr (layout::has_relay) {
      while (state == ClientState::connected) {
        const auto m = conn.receive(layout::relay_channel);
        if (!m) break;
        if (!relay.on_frame(m->message_id, m->bytes)) return fail_protocol();
      }
    }
    if (violated || (link_up() && !requests.read_answers())) return fail_protocol();
    if (link_up()) requests.advance();
  }

  void read_control() {
    while (link_up()) {
      const auto m = conn.receive(layout::control_channel);
      if (!m) return;
      const auto frame = static_cast<detail::ControlFrame>(m->message_id);
      if (frame == detail::ControlFrame::server_hello) {
        on_server_hello(m->bytes);
      } else if (frame == detail::ControlFrame::close && m->bytes.size() == 2) {
        const auto reason = static_cast<CloseReason>(detail::get_le<std::uint16_t>(m->bytes.data()));
        return end_for_good(Error::closed_by_peer, Event(client_event::ClosedByServer{reason}));
      } else {
        return fail_protocol();
      }
    }
  }

  void on_server_hello(std::span<const std::byte> b) {
    if (b.size() != detail::control_hello_bytes || state != ClientState::handshaking) return fail_protocol();
    if (detail::get_le<std::uint64_t>(b.data()) != Pack::schema_hash)
      return end_for_good(Error::protocol_mismatch,
                          Event(client_event::Disconnected{Error::protocol_mismatch,
                                                           netcode::DisconnectReason::disconnected_by_application, false}));
    state = ClientState::connected;
    if constexpr (layout::has_relay) relay.set_up(true);
    reconnector.attempt_succeeded();
    lost_requests.clear();
    push(client_event::Connected{detail::get_le<std::uint32_t>(b.data() + 8), reconnected});
  }

  ClientConfig config;
  NetClient net;
  Connection conn;
  EventQueue<Event> events;  // reuses its storage: no allocation per event after warm-up
  TypedCounters counters;
  ClientRequests<Pack> requests;
  Reconnector reconnector;
  std::vector<std::byte> scratch;
  std::array<std::byte, max_datagram_payload_bytes> tx{};
  ClientState state = ClientState::disconnected;
  TimePoint now{};
  TimePoint hello_until{};
  std::optional<ConnectToken> pending_token;  // connect() was called; netcode starts at the next update
  std::vector<RequestId> lost_requests;       // the last lost connection's pending requests (IsDead lists them)
  bool reconnected = false;
  bool unflushed = false;  // a send since packets were last written
  bool violated = false;   // a frame out of place was read while polling
  [[no_unique_address]] std::conditional_t<has_connect_message, ConnectMessage, std::monostate> connect_message{};
  RelayClient relay;  // idle unless the pack has a Relay
};

}  // namespace courier::detail
