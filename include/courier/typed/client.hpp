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

#include "courier/channel/connection.hpp"
#include "courier/core/clock.hpp"
#include "courier/core/error.hpp"
#include "courier/core/little_endian.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/client.hpp"
#include "courier/netcode/token.hpp"
#include "courier/relay/relay_client.hpp"
#include "courier/typed/config.hpp"
#include "courier/typed/detail/client_requests.hpp"
#include "courier/typed/detail/dispatch.hpp"
#include "courier/typed/detail/event_queue.hpp"
#include "courier/typed/detail/reconnector.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/signal.hpp"
#include "courier/typed/stats.hpp"

namespace courier {

/// Where a typed client stands.
enum class ClientState : std::uint8_t {
  disconnected,  ///< idle, or ended (see the last Disconnected / ClosedByServer / IsDead)
  connecting,    ///< netcode handshake with the servers of the token
  handshaking,   ///< netcode connected; waiting for the server's hello
  connected,     ///< messages and requests flow
  reconnecting,  ///< the connection was lost; retrying with the reconnect token
};

template <class Pack>
class Client : public ClientEventNames<Pack> {
  using layout = detail::PackLayout<Pack>;
  using schema = typename Pack::schema;
  using NetClient = netcode::Client<typename Pack::transport, typename Pack::crypto>;
  static constexpr bool has_connect_message = layout::has_connect_message;

 public:
  using Event = ClientEvent<Pack>;
  using ConnectMessage = ConnectMessageOf<Pack>;

  /// Takes the bound transport. Throws std::system_error(invalid_config) naming a bad field,
  /// or crypto_unavailable.
  explicit Client(typename Pack::transport transport, ClientConfig config = {})
      : config_(checked(std::move(config))), net_(std::move(transport), config_.netcode),
        conn_(layout::connection_config(config_)), requests_(config_.request_capacity, conn_, events_, counters_),
        reconnector_(config_.reconnect), scratch_(layout::largest_frame + detail::request_id_bytes),
        relay_(conn_, layout::relay_channel) {}

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
    connect_message_ = message;
    return start(token);
  }

  /// Ends the connection (the server is told at once) and any reconnection; pending requests
  /// end as send_failed / response_lost. What was queued goes out first (one packet each, not
  /// resent: a message lost on the way is not retried). No event for this side's own disconnect.
  void disconnect() noexcept {
    if (state_ == ClientState::disconnected) return;
    write_packets();
    end_for_good(Error::disconnected_by_application, std::nullopt);
  }

  /// Receives, runs the handshake and requests, resends, writes packets, reconnects.
  template <Clock K>
  void update(const K& clock) {
    now_ = clock.now();
    if (pending_token_) start_netcode(std::exchange(pending_token_, std::nullopt).value());
    net_.update(now_);
    // Payloads before events: what the server sent just before it disconnected (a close
    // frame, last messages) is read before the disconnect is handled.
    read_payloads();
    if (link_up()) read_frames();
    handle_netcode_events();
    if (state_ == ClientState::handshaking && now_ >= hello_until_) on_hello_timeout();
    if (link_up()) conn_.update(now_);
    requests_.expire(now_);
    write_packets();
    maybe_reconnect();
    net_.flush();
  }

  /// Sends what is queued now (poll_event does this when a drain ends; call it to send sooner).
  void flush() noexcept {
    write_packets();
    net_.flush();
  }

  /// Queues a message of the pack's channels that a client may send. Refused with
  /// not_connected, message_too_large, send_queue_full (the signal carries the error).
  template <class T>
  Signal send(const T& message) noexcept {
    static_assert(layout::template is_channel_message<T>, "Client::send: this type is not a message of the pack's channels.");
    static_assert(layout::template client_sends<T>,
                  "Client::send: this message's channel is ServerToClient; only the server sends it.");
    if (state_ != ClientState::connected) return Signal{{}, {}, Error::not_connected};
    const EncodeResult e = schema::encode(message, std::span(scratch_));
    if (!e) return Signal{{}, {}, e.error};
    const SendResult r = conn_.send(layout::template channel_of<T>, layout::template message_id<T>,
                                    std::span<const std::byte>(scratch_.data(), e.size));
    unflushed_ = unflushed_ || r;
    return Signal{r.handle, {}, r.error};
  }

  /// Sends a request of the pack; its answer arrives as Response<Resp> or RequestEnded. Refused
  /// (status send_failed) with not_connected, message_too_large, send_queue_full.
  template <class Req>
  RequestSignal request(const Req& req) noexcept {
    static_assert(layout::template is_request<Req>, "Client::request: this type is not a request of the pack.");
    if (state_ != ClientState::connected) return RequestSignal{0, Error::not_connected};
    const RequestSignal s = requests_.send(req, std::span(scratch_), now_ + config_.request_timeout);
    unflushed_ = unflushed_ || s;
    return s;
  }

  /// The next event: lifecycle and request outcomes first, then relay events, then messages
  /// in channel order. (A response can therefore come out before a message that arrived
  /// earlier on another channel; within a channel, order is the channel's.) When nothing is
  /// left, what the handlers sent is written out.
  std::optional<Event> poll_event() {
    if (auto e = next_event()) return e;
    if (unflushed_) flush();
    return std::nullopt;
  }

  /// Where a send stands (Dropped(error) for a refused one).
  [[nodiscard]] DeliveryStatus status(const Signal& s) const noexcept {
    if (s.error) return DeliveryStatus{DeliveryState::dropped, static_cast<Error>(s.error.value())};
    return conn_.status(s.handle);
  }
  /// Where a request stands (send_failed for a refused one).
  [[nodiscard]] RequestStatus status(const RequestSignal& s) const noexcept { return requests_.status(s); }

  [[nodiscard]] ClientState state() const noexcept { return state_; }
  [[nodiscard]] bool connected() const noexcept { return state_ == ClientState::connected; }
  /// The slot the server gave this client (valid when connected).
  [[nodiscard]] std::uint32_t slot() const noexcept { return net_.client_index(); }
  [[nodiscard]] Address server_address() const noexcept { return net_.server_address(); }
  /// True while the client holds a reconnect token from the server.
  [[nodiscard]] bool has_reconnect_token() const noexcept { return reconnector_.has_token(); }
  [[nodiscard]] ClientStats stats() const noexcept { return ClientStats{conn_.stats(), net_.stats(), counters_}; }
  [[nodiscard]] typename Pack::transport& transport() noexcept { return net_.transport(); }
  [[nodiscard]] const ClientConfig& config() const noexcept { return config_; }

  /// The relay: this client's virtual address, listening ports and virtual sockets (packs
  /// with a Relay only; docs/PROTOCOL.md Part 4). What it queues goes out when the event drain
  /// ends, like a send.
  [[nodiscard]] RelayClient& relay() noexcept
    requires(layout::has_relay)
  {
    unflushed_ = true;  // any call through it may queue a frame
    return relay_;
  }
  [[nodiscard]] const RelayClient& relay() const noexcept
    requires(layout::has_relay)
  {
    return relay_;
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
    const EncodeResult e = schema::encode(message, std::span(scratch_));
    if (!e) return e.error;
    unflushed_ = true;
    return relay_.send(socket, std::span<const std::byte>(scratch_.data(), e.size));
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

  [[nodiscard]] bool link_up() const noexcept {
    return state_ == ClientState::handshaking || state_ == ClientState::connected;
  }

  template <class E>
  void push(E&& e) {
    events_.emplace_back(std::in_place_type<std::decay_t<E>>, std::forward<E>(e));
  }

  std::optional<Event> next_event() {
    if (!events_.empty()) {
      Event e = std::move(events_.front());
      events_.pop_front();
      return e;
    }
    if constexpr (layout::has_relay) {
      if (auto r = relay_.take_event()) return std::visit([](auto&& x) { return Event(std::move(x)); }, std::move(*r));
    }
    if (state_ != ClientState::connected) return std::nullopt;
    return next_channel_message();
  }

  // ---- connection lifecycle -------------------------------------------------------------

  std::error_code start(const ConnectToken& token) noexcept {
    disconnect();
    if (token.protocol_id() != Pack::protocol_id) {
      push(client_event::Disconnected{Error::protocol_mismatch, netcode::DisconnectReason::none, false});
      return Error::protocol_mismatch;
    }
    reconnector_.forget();
    lost_requests_.clear();
    reconnected_ = false;
    violated_ = false;
    pending_token_ = token;
    state_ = ClientState::connecting;
    return {};
  }

  /// The first update after connect(): netcode starts with that update's time.
  void start_netcode(const ConnectToken& token) {
    if (const std::error_code ec = net_.connect(token.bytes(), now_)) {
      while (net_.poll_event()) {
      }
      push(client_event::Disconnected{static_cast<Error>(ec.value()), netcode::DisconnectReason::none, false});
      state_ = ClientState::disconnected;
    }
  }

  void handle_netcode_events() {
    while (const auto e = net_.poll_event()) {
      if (e->type == netcode::ClientEventType::connected) on_netcode_connected();
      else on_netcode_ended(e->reason);
    }
  }

  void on_netcode_connected() {
    state_ = ClientState::handshaking;
    hello_until_ = now_ + config_.hello_timeout;
    detail::put_le(scratch_.data(), Pack::schema_hash);
    std::size_t n = 8;
    if constexpr (has_connect_message) n += schema::encode(connect_message_, std::span(scratch_).subspan(8)).size;
    (void)conn_.send(layout::control_channel, static_cast<std::uint32_t>(detail::ControlFrame::client_hello),
                     std::span<const std::byte>(scratch_.data(), n));
  }

  /// netcode says the connection (or an attempt) ended.
  void on_netcode_ended(netcode::DisconnectReason reason) {
    const Error error = netcode::to_error(reason);
    if (state_ == ClientState::reconnecting || (state_ == ClientState::handshaking && reconnector_.attempt_running()))
      return attempt_failed(error);
    if (state_ == ClientState::disconnected) return;
    const bool was_up = link_up();
    if (was_up) tear_down(error);
    const bool retry = was_up && worth_reconnecting(reason) && reconnector_.begin(error, now_);
    push(client_event::Disconnected{error, reason, retry});
    state_ = retry ? ClientState::reconnecting : ClientState::disconnected;
  }

  /// Losses the server's reconnect token can mend (not a denial or this side's own doing).
  [[nodiscard]] static bool worth_reconnecting(netcode::DisconnectReason r) noexcept {
    return r == netcode::DisconnectReason::timed_out || r == netcode::DisconnectReason::disconnected_by_peer ||
           r == netcode::DisconnectReason::server_stopped;
  }

  /// A reconnect attempt died before the server's hello; the next one waits its backoff.
  void attempt_failed(Error error) {
    if (state_ == ClientState::handshaking) conn_.reset(error);
    state_ = ClientState::reconnecting;
    reconnector_.attempt_failed(error, now_);
  }

  /// The end of a connection that was up (handshaking or connected), whatever ended it: what
  /// it delivered stays pollable, its relay sockets close, its pending requests end, and the
  /// Connection starts over.
  void tear_down(Error reason) {
    if (state_ == ClientState::connected) {
      while (auto m = next_channel_message()) events_.push_back(std::move(*m));
      if constexpr (layout::has_relay) relay_.on_connection_lost();
    }
    lost_requests_ = requests_.end_all();
    conn_.reset(reason);
  }

  /// This side ends the connection for good (the application, a protocol violation, a hello
  /// timeout or mismatch, the server's close frame): netcode tells the server, the connection
  /// is torn down, `notice` (if any) is reported, and no reconnect follows.
  void end_for_good(Error reason, std::optional<Event> notice) noexcept {
    net_.disconnect();
    while (net_.poll_event()) {
    }
    if (link_up()) tear_down(reason);
    if (notice) events_.push_back(std::move(*notice));
    reconnector_.forget();
    pending_token_.reset();
    violated_ = false;
    state_ = ClientState::disconnected;
  }

  void fail_protocol() {
    ++counters_.protocol_violations;
    end_for_good(Error::protocol_violation, Event(client_event::Disconnected{
        Error::protocol_violation, netcode::DisconnectReason::disconnected_by_application, false}));
  }

  /// netcode connected but the server never said hello: the attempt failed.
  void on_hello_timeout() {
    if (reconnector_.attempt_running()) {
      net_.disconnect();
      while (net_.poll_event()) {
      }
      return attempt_failed(Error::connection_timed_out);
    }
    end_for_good(Error::connection_timed_out,
                 Event(client_event::Disconnected{Error::connection_timed_out, netcode::DisconnectReason::none, false}));
  }

  void maybe_reconnect() {
    if (state_ != ClientState::reconnecting || reconnector_.waiting(now_)) return;
    if (reconnector_.exhausted(now_)) {
      push(client_event::IsDead{reconnector_.reason(), std::exchange(lost_requests_, {})});
      reconnector_.forget();
      state_ = ClientState::disconnected;
      return;
    }
    reconnected_ = true;
    if (net_.connect(reconnector_.start_attempt().bytes(), now_)) reconnector_.attempt_failed(reconnector_.reason(), now_);
  }

  // ---- receive path ---------------------------------------------------------------------

  void read_payloads() {
    while (const auto p = net_.receive()) {
      if (!link_up()) {
        ++counters_.dropped_payloads;
        continue;
      }
      if (conn_.read_packet(now_, p->bytes)) return fail_protocol();
      if (conn_.acks_backlogged()) write_packets();  // ack a long burst as it comes
    }
  }

  /// Control, reconnect tokens, relay frames and answers, in that order.
  void read_frames() {
    read_control();
    while (link_up()) {
      const auto m = conn_.receive(layout::token_channel);
      if (!m) break;
      if (!reconnector_.keep(m->bytes, now_)) return fail_protocol();
    }
    if constexpr (layout::has_relay) {
      while (state_ == ClientState::connected) {
        const auto m = conn_.receive(layout::relay_channel);
        if (!m) break;
        if (!relay_.on_frame(m->message_id, m->bytes)) return fail_protocol();
      }
    }
    if (violated_ || (link_up() && !requests_.read_answers())) return fail_protocol();
    if (link_up()) requests_.advance();
  }

  void read_control() {
    while (link_up()) {
      const auto m = conn_.receive(layout::control_channel);
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
    if (b.size() != detail::control_hello_bytes || state_ != ClientState::handshaking) return fail_protocol();
    if (detail::get_le<std::uint64_t>(b.data()) != Pack::schema_hash)
      return end_for_good(Error::protocol_mismatch,
                          Event(client_event::Disconnected{Error::protocol_mismatch,
                                                           netcode::DisconnectReason::disconnected_by_application, false}));
    state_ = ClientState::connected;
    if constexpr (layout::has_relay) relay_.set_up(true);
    reconnector_.attempt_succeeded();
    lost_requests_.clear();
    push(client_event::Connected{detail::get_le<std::uint32_t>(b.data() + 8), reconnected_});
  }

  /// The next message on the pack's channels; a message on a channel only clients send on is
  /// a protocol violation (the connection is closed at the next update).
  std::optional<Event> next_channel_message() {
    for (std::size_t ch = 0; ch < layout::user_channels; ++ch) {
      while (const auto m = conn_.receive(ch)) {
        std::optional<Event> e;
        detail::with_channel_type<typename layout::channels>(ch, m->message_id, [&]<class T>() {
          if constexpr (layout::template server_sends<T>) {
            if (auto value = detail::decode_as<schema, T>(m->bytes))
              e.emplace(std::in_place_type<client_event::Message<T>>, client_event::Message<T>{std::move(*value)});
          } else {
            violated_ = true;
          }
        });
        if (e) return e;
        if (!violated_) ++counters_.undecodable_messages;
      }
    }
    return std::nullopt;
  }

  void write_packets() noexcept {
    unflushed_ = false;
    if (!link_up()) return;
    while (const std::size_t n = conn_.write_packet(now_, tx_)) (void)net_.send(std::span(tx_).first(n));
  }

  ClientConfig config_;
  NetClient net_;
  Connection conn_;
  detail::EventQueue<Event> events_;  // reuses its storage: no allocation per event after warm-up
  TypedCounters counters_;
  detail::ClientRequests<Pack> requests_;
  detail::Reconnector reconnector_;
  std::vector<std::byte> scratch_;
  std::array<std::byte, max_datagram_payload_bytes> tx_{};
  ClientState state_ = ClientState::disconnected;
  TimePoint now_{};
  TimePoint hello_until_{};
  std::optional<ConnectToken> pending_token_;  // connect() was called; netcode starts at the next update
  std::vector<RequestId> lost_requests_;       // the last lost connection's pending requests (IsDead lists them)
  bool reconnected_ = false;
  bool unflushed_ = false;  // a send since packets were last written
  bool violated_ = false;   // a frame out of place was read while polling
  [[no_unique_address]] std::conditional_t<has_connect_message, ConnectMessage, std::monostate> connect_message_{};
  RelayClient relay_;  // idle unless the pack has a Relay
};

}  // namespace courier
