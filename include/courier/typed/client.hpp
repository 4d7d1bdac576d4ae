#pragma once
/// \file
/// courier::Client<Pack>: the typed client. It connects with a connect token, says hello with
/// the pack's schema hash and its connect message, then sends and receives the pack's messages
/// and requests (detail::ClientRequests) over a Connection inside netcode packets. A lost
/// connection comes back by itself with the single-use reconnect token the server keeps sending
/// (detail::Reconnector).
///
/// Per tick: `update(clock)`, then drain `poll_event()`; what the handlers send goes out when
/// the drain ends (poll_event returns nothing), in the same tick. `send` and `request` compile
/// only for the pack's own types (and `send` only for messages a client may send); a send that
/// cannot go (not connected, too large, queue full) is refused at the call with its error. One
/// object, one thread; no internal threads.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "courier/channel/channel_stats.hpp"
#include "courier/channel/connection.hpp"
#include "courier/core/clock.hpp"
#include "courier/core/error.hpp"
#include "courier/core/little_endian.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/netcode_client.hpp"
#include "courier/netcode/token.hpp"
#include "courier/relay/relay_client.hpp"
#include "courier/typed/typed_config.hpp"
#include "courier/typed/client_state.hpp"
#include "courier/typed/detail/client_core.hpp"
#include "courier/typed/detail/dispatch.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/signal.hpp"
#include "courier/transport/wait.hpp"
#include "courier/typed/typed_stats.hpp"

namespace courier {

template <class Pack>
class Client : public ClientEventNames<Pack> {
  using layout = detail::PackLayout<Pack>;
  using schema = typename Pack::schema;
  static constexpr bool has_connect_message = layout::has_connect_message;

 public:
  using Event = ClientEvent<Pack>;
  using ConnectMessage = ConnectMessageOf<Pack>;

  /// Takes the bound transport. Throws std::system_error(invalid_config) naming a bad field,
  /// or crypto_unavailable.
  explicit Client(typename Pack::transport transport, ClientConfig config = {})
      : core_(std::move(transport), checked(std::move(config))) {}

  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() { disconnect(); }

  /// Starts connecting with a connect token (the handshake runs in the next updates). Refused
  /// at once, with a Disconnected event carrying the same reason, when the token was issued for
  /// another protocol id (protocol_mismatch: the server runs another pack).
  std::error_code connect(const ConnectToken& token) noexcept
    requires(!has_connect_message)
  {
    return start(token);
  }
  /// As connect(token), with the connect message the server sees in its Connected event; it is
  /// sent again on every automatic reconnect.
  std::error_code connect(const ConnectToken& token, const ConnectMessage& message)
    requires has_connect_message
  {
    core_.connect_message = message;
    return start(token);
  }

  /// Ends the connection (the server is told at once) and any reconnection; pending requests
  /// end as send_failed / response_lost. What was queued goes out first (one packet each, not
  /// resent: a message lost on the way is not retried). No event for this side's own disconnect.
  void disconnect() noexcept { core_.disconnect(); }

  /// Receives, runs the handshake and requests, resends, writes packets, reconnects.
  template <Clock K>
  void update(const K& clock) {
    core_.tick(clock.now());
  }

  /// Sends what is queued now (poll_event does this when a drain ends; call it to send sooner).
  void flush() noexcept { core_.flush(); }

  /// Queues a message of the pack's channels that a client may send. Refused with
  /// not_connected, message_too_large, send_queue_full (the signal carries the error).
  template <class T>
  Signal send(const T& message) noexcept {
    static_assert(layout::template is_channel_message<T>, "Client::send: this type is not a message of the pack's channels.");
    static_assert(layout::template client_sends<T>,
                  "Client::send: this message's channel is ServerToClient; only the server sends it.");
    if (core_.state != ClientState::connected) return Signal{{}, {}, Error::not_connected};
    const EncodeResult e = schema::encode(message, std::span(core_.scratch));
    if (!e) return Signal{{}, {}, e.error};
    const SendResult r = core_.conn.send(layout::template channel_of<T>, layout::template message_id<T>,
                                    std::span<const std::byte>(core_.scratch.data(), e.size));
    core_.unflushed = core_.unflushed || r;
    return Signal{r.handle, {}, r.error};
  }

  /// Sends a request of the pack; its answer arrives as Response<Resp> or RequestEnded. Refused
  /// (status send_failed) with not_connected, message_too_large, send_queue_full.
  template <class Req>
  RequestSignal request(const Req& req) noexcept {
    static_assert(layout::template is_request<Req>, "Client::request: this type is not a request of the pack.");
    if (core_.state != ClientState::connected) return RequestSignal{0, Error::not_connected};
    const RequestSignal s = core_.requests.send(req, std::span(core_.scratch), core_.now + core_.config.request_timeout);
    core_.unflushed = core_.unflushed || s;
    return s;
  }

  /// The next event: lifecycle and request outcomes first, then relay events, then messages
  /// in channel order. (A response can therefore come out before a message that arrived
  /// earlier on another channel; within a channel, order is the channel's.) When nothing is
  /// left, what the handlers sent is written out.
  std::optional<Event> poll_event() {
    if (auto e = next_event()) return e;
    if (core_.unflushed) flush();
    return std::nullopt;
  }

  /// Where a send stands (Dropped(error) for a refused one).
  [[nodiscard]] DeliveryStatus status(const Signal& s) const noexcept {
    if (s.error) return DeliveryStatus{DeliveryState::dropped, static_cast<Error>(s.error.value())};
    return core_.conn.status(s.handle);
  }
  /// Where a request stands (send_failed for a refused one).
  [[nodiscard]] RequestStatus status(const RequestSignal& s) const noexcept { return core_.requests.status(s); }

  [[nodiscard]] ClientState state() const noexcept { return core_.state; }
  [[nodiscard]] bool connected() const noexcept { return core_.state == ClientState::connected; }
  /// The slot the server gave this client (valid when connected).
  [[nodiscard]] std::uint32_t slot() const noexcept { return core_.net.client_index(); }
  [[nodiscard]] Address server_address() const noexcept { return core_.net.server_address(); }
  /// True while the client holds a reconnect token from the server.
  [[nodiscard]] bool has_reconnect_token() const noexcept { return core_.reconnector.has_token(); }
  [[nodiscard]] ClientStats stats() const noexcept { return ClientStats{core_.conn.stats(), core_.net.stats(), core_.counters}; }
  /// The counters of the channel that carries message type T: queued, queue delay, messages
  /// dropped as congestion (MaxSendDelay), ... What a game reads each tick to adapt its rate.
  template <class T>
  [[nodiscard]] ChannelStats channel_stats() const noexcept {
    static_assert(layout::template is_channel_message<T>, "Client::channel_stats: this type is not a message of the pack's channels.");
    return core_.conn.channel_stats(layout::template channel_of<T>);
  }
  [[nodiscard]] typename Pack::transport& transport() noexcept { return core_.net.transport(); }
  /// Waits until a datagram arrives or `max_wait` passes; call it between updates instead of
  /// sleeping (transport/wait.hpp: a transport that cannot be polled makes it a sleep). True
  /// when input may be waiting. For several endpoints in one loop:
  /// `wait_for_input(max_wait, client.transport(), server.transport())`.
  bool wait(Duration max_wait) noexcept { return wait_for_input(max_wait, transport()); }
  [[nodiscard]] const ClientConfig& config() const noexcept { return core_.config; }

  /// The relay: this client's virtual address, listening ports and virtual sockets (packs
  /// with a Relay only; docs/PROTOCOL.md Part 4). What it queues goes out when the event drain
  /// ends, like a send.
  [[nodiscard]] RelayClient& relay() noexcept
    requires(layout::has_relay)
  {
    core_.unflushed = true;  // any call through it may queue a frame
    return core_.relay;
  }
  [[nodiscard]] const RelayClient& relay() const noexcept
    requires(layout::has_relay)
  {
    return core_.relay;
  }
  /// Sends any message struct the pack's schema can encode (worst case ≤ 1000 bytes) over a
  /// virtual socket; the peer decodes it with relay_decode<T>. No type tag travels with it: the
  /// two ends agree on what a port carries (as with any socket protocol).
  template <class T>
  std::error_code relay_send(RelaySocketId socket, const T& message)
    requires(layout::has_relay)
  {
    static_assert(schema::template max_bytes<T> <= detail::relay_max_data_bytes,
                  "Client::relay_send: the message's worst-case encoding exceeds the relay's 1000 bytes.");
    const EncodeResult e = schema::encode(message, std::span(core_.scratch));
    if (!e) return e.error;
    core_.unflushed = true;
    return core_.relay.send(socket, std::span<const std::byte>(core_.scratch.data(), e.size));
  }
  /// Decodes relay data sent with relay_send<T>; nullopt when the bytes are not a valid T.
  template <class T>
  [[nodiscard]] static std::optional<T> relay_decode(std::span<const std::byte> bytes) {
    return detail::decode_as<schema, T>(bytes);
  }

 private:
  static ClientConfig checked(ClientConfig c) {
    if (std::string e = c.check(); !e.empty())
      throw std::system_error(make_error_code(Error::invalid_config), "courier::ClientConfig: " + e);
    return c;
  }

  std::optional<Event> next_event() {
    if (!core_.events.empty()) {
      Event e = std::move(core_.events.front());
      core_.events.pop_front();
      return e;
    }
    if constexpr (layout::has_relay) {
      if (auto r = core_.relay.take_event()) return std::visit([](auto&& x) { return Event(std::move(x)); }, std::move(*r));
    }
    if (core_.state != ClientState::connected) return std::nullopt;
    return core_.next_channel_message();
  }

  std::error_code start(const ConnectToken& token) noexcept { return core_.start(token); }

  detail::ClientCore<Pack> core_;
};

}  // namespace courier
