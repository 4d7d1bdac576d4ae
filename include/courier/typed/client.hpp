#pragma once
/// \file
/// courier::Client<Pack>: the typed client. It connects with a connect token, says hello with
/// the pack's schema hash and its connect message, then sends and receives the pack's messages
/// and requests over a Connection inside netcode packets. A lost connection comes back by itself
/// with the single-use reconnect token the server keeps sending (ReconnectPolicy).
///
/// Per tick: `update(now)`, then drain `poll_event()`. `send` and `request` compile only for the
/// pack's own types; a send that cannot go (not connected, too large, queue full) is refused
/// at the call with its error. One object, one thread; no internal threads.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "courier/channel/connection.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/client.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/typed/config.hpp"
#include "courier/typed/dispatch.hpp"
#include "courier/typed/event_queue.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/request_table.hpp"
#include "courier/typed/signal.hpp"
#include "courier/typed/stats.hpp"
#include "courier/relay/relay_client.hpp"

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
class Client {
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
        conn_(layout::connection_config(config_)),
        requests_(config_.request_capacity),
        scratch_(layout::largest_frame + detail::request_id_bytes),
        relay_(conn_, layout::relay_channel) {}

  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() { disconnect(); }

  /// Starts connecting with a 2048-byte connect token. Refused at once, with a Disconnected
  /// event carrying the same reason: invalid_connect_token, or protocol_mismatch when the token
  /// was issued for another protocol id (the server runs another pack).
  std::error_code connect(std::span<const std::byte> token, TimePoint now) noexcept
    requires(!has_connect_message)
  {
    return start(token, now);
  }
  /// As connect(token, now), with the connect message the server sees in its Connected event;
  /// it is sent again on every automatic reconnect.
  std::error_code connect(std::span<const std::byte> token, const ConnectMessage& message, TimePoint now)
    requires has_connect_message
  {
    connect_message_ = message;
    return start(token, now);
  }

  /// Ends the connection (the server is told at once) and any reconnection; pending requests
  /// end as send_failed / response_lost. What was queued goes out first (one packet each, not
  /// resent: a message lost on the way is not retried). No event for this side's own disconnect.
  void disconnect() noexcept {
    if (state_ == ClientState::disconnected) return;
    write_packets();
    net_.disconnect();
    while (net_.poll_event()) {
    }
    end_connection(Error::disconnected_by_application);
    state_ = ClientState::disconnected;
  }

  /// Receives, runs the handshake and requests, resends, writes packets, reconnects.
  void update(TimePoint now) {
    now_ = now;
    net_.update(now);
    // Payloads before events: what the server sent just before it disconnected (a close
    // frame, last messages) is read before the disconnect is handled.
    read_payloads();
    if (link_up()) {
      read_control();
      read_tokens();
      read_relay();
      read_request_channel();
      advance_requests();
    }
    handle_netcode_events();
    if (state_ == ClientState::handshaking && now_ >= hello_until_) on_hello_timeout();
    if (link_up()) conn_.update(now);
    expire_requests();
    write_packets();
    maybe_reconnect();
    net_.flush();
  }

  /// Sends what is queued now instead of at the next update (lowest latency).
  void flush() noexcept {
    write_packets();
    net_.flush();
  }

  /// Queues a message of the pack's channels. Refused with not_connected, message_too_large,
  /// send_queue_full (the signal carries the error).
  template <class T>
  Signal send(const T& message) noexcept {
    static_assert(layout::template is_channel_message<T>,
                  "Client::send: this type is not a message of the pack's channels.");
    if (state_ != ClientState::connected) return Signal{{}, {}, Error::not_connected};
    const EncodeResult e = schema::encode(message, std::span(scratch_));
    if (!e) return Signal{{}, {}, e.error};
    const SendResult r = conn_.send(layout::template channel_of<T>, layout::template message_id<T>,
                                    std::span<const std::byte>(scratch_.data(), e.size));
    return Signal{r.handle, {}, r.error};
  }

  /// Sends a request of the pack; its answer arrives as Response<Resp> or RequestEnded. Refused
  /// (status send_failed) with not_connected, message_too_large, send_queue_full.
  template <class Req>
  RequestSignal request(const Req& req) noexcept {
    static_assert(layout::template is_request<Req>, "Client::request: this type is not a request of the pack.");
    if (state_ != ClientState::connected) return RequestSignal{0, Error::not_connected};
    if (!requests_.can_open()) return RequestSignal{0, Error::send_queue_full};
    const RequestId id = requests_.next_id();
    detail::put_le(scratch_.data(), static_cast<std::uint32_t>(id));
    const EncodeResult e = schema::encode(req, std::span(scratch_).subspan(detail::request_id_bytes));
    if (!e) return RequestSignal{0, e.error};
    const SendResult r = conn_.send(layout::request_channel, 2 * layout::template pair_of<Req>,
                                    std::span<const std::byte>(scratch_.data(), detail::request_id_bytes + e.size));
    if (!r) return RequestSignal{0, r.error};
    requests_.open(r.handle, now_ + config_.request_timeout).pair = layout::template pair_of<Req>;
    return RequestSignal{id, {}};
  }

  /// The next event: lifecycle and request outcomes first, then relay events, then messages
  /// in channel order. (A response can therefore come out before a message that arrived
  /// earlier on another channel; within a channel, order is the channel's.)
  std::optional<Event> poll_event() {
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

  /// Where a send stands (Dropped(error) for a refused one).
  [[nodiscard]] DeliveryStatus status(const Signal& s) const noexcept {
    if (s.error) return DeliveryStatus{DeliveryState::dropped, static_cast<Error>(s.error.value())};
    return conn_.status(s.handle);
  }
  /// Where a request stands (send_failed for a refused one).
  [[nodiscard]] RequestStatus status(const RequestSignal& s) const noexcept {
    if (s.error) return RequestStatus::send_failed;
    const detail::RequestRecord* r = requests_.find(s.id);
    return r == nullptr ? RequestStatus::unknown : r->status;
  }

  [[nodiscard]] ClientState state() const noexcept { return state_; }
  [[nodiscard]] bool connected() const noexcept { return state_ == ClientState::connected; }
  /// The slot the server gave this client (valid when connected).
  [[nodiscard]] std::uint32_t slot() const noexcept { return net_.client_index(); }
  [[nodiscard]] Address server_address() const noexcept { return net_.server_address(); }
  /// True while the client holds a reconnect token from the server.
  [[nodiscard]] bool has_reconnect_token() const noexcept { return reconnect_.has_value(); }
  [[nodiscard]] ClientStats stats() const noexcept {
    return ClientStats{conn_.stats(), net_.stats(), counters_};
  }
  [[nodiscard]] typename Pack::transport& transport() noexcept { return net_.transport(); }
  [[nodiscard]] const ClientConfig& config() const noexcept { return config_; }

  /// The relay: this client's virtual address, listening ports and virtual sockets (packs
  /// with a Relay only; docs/PROTOCOL.md Part 4).
  [[nodiscard]] RelayClient& relay() noexcept
    requires(layout::has_relay)
  {
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

  std::error_code start(std::span<const std::byte> token, TimePoint now) noexcept {
    disconnect();
    now_ = now;
    const auto parsed = netcode::read_connect_token(token);
    Error refused = Error::ok;
    if (!parsed) refused = Error::invalid_connect_token;
    else if (parsed->protocol_id != Pack::protocol_id) refused = Error::protocol_mismatch;
    if (refused != Error::ok) {
      push(client_event::Disconnected{refused, netcode::DisconnectReason::none, false});
      return refused;
    }
    reconnect_.reset();
    lost_requests_.clear();
    reconnected_ = false;
    const std::error_code ec = net_.connect(token, now);
    if (ec) {
      while (net_.poll_event()) {
      }
      push(client_event::Disconnected{static_cast<Error>(ec.value()), netcode::DisconnectReason::none, false});
      return ec;
    }
    state_ = ClientState::connecting;
    return {};
  }

  template <class E>
  void push(E&& e) {
    events_.emplace_back(std::in_place_type<std::decay_t<E>>, std::forward<E>(e));
  }

  // ---- connection lifecycle -------------------------------------------------------------

  void handle_netcode_events() {
    while (const auto e = net_.poll_event()) {
      if (e->type == netcode::ClientEventType::connected) on_netcode_connected();
      else on_netcode_ended(e->reason);
    }
  }

  void on_netcode_connected() {
    state_ = ClientState::handshaking;
    hello_until_ = now_ + config_.hello_timeout;
    std::array<std::byte, 8> hash{};
    detail::put_le(hash.data(), Pack::schema_hash);
    std::size_t n = 8;
    std::copy(hash.begin(), hash.end(), scratch_.begin());
    if constexpr (has_connect_message) {
      const EncodeResult e = schema::encode(connect_message_, std::span(scratch_).subspan(8));
      n += e.size;
    }
    (void)conn_.send(layout::control_channel, static_cast<std::uint32_t>(detail::ControlFrame::client_hello),
                     std::span<const std::byte>(scratch_.data(), n));
  }

  void on_netcode_ended(netcode::DisconnectReason reason) {
    const Error error = netcode::to_error(reason);
    if (state_ == ClientState::handshaking && attempt_running_) {
      conn_.reset(error);  // a reconnect attempt that died before the server's hello
      state_ = ClientState::reconnecting;
    }
    if (state_ == ClientState::reconnecting) {
      attempt_running_ = false;
      last_error_ = error;
      next_attempt_ = now_ + backoff();
      return;
    }
    if (state_ == ClientState::disconnected) return;
    const bool was_up = link_up();
    end_connection(error);
    const bool retry = was_up && config_.reconnect.enabled && reconnect_.has_value() &&
                       (reason == netcode::DisconnectReason::timed_out ||
                        reason == netcode::DisconnectReason::disconnected_by_peer ||
                        reason == netcode::DisconnectReason::server_stopped);
    push(client_event::Disconnected{error, reason, retry});
    if (!retry) {
      state_ = ClientState::disconnected;
      return;
    }
    state_ = ClientState::reconnecting;
    attempts_ = 0;
    attempt_running_ = false;
    last_error_ = error;
    next_attempt_ = now_;
  }

  /// The connection is over: delivered messages stay pollable (moved to the event queue),
  /// pending requests end, the Connection starts over for the next one.
  void end_connection(Error reason) {
    if (state_ == ClientState::connected)
      while (auto m = next_channel_message()) events_.push_back(std::move(*m));
    if constexpr (layout::has_relay) {
      if (state_ == ClientState::connected) relay_.on_connection_lost();
    }
    lost_requests_.clear();
    for (const RequestId id : requests_.pending()) {
      detail::RequestRecord* r = requests_.find(id);
      if (r == nullptr || is_final(r->status)) continue;
      if (r->status == RequestStatus::sending && conn_.status(r->handle).state == DeliveryState::acked)
        r->status = RequestStatus::waiting;
      r->status = r->status == RequestStatus::sending ? RequestStatus::send_failed : RequestStatus::response_lost;
      lost_requests_.push_back(id);
      push(client_event::RequestEnded{id, r->status});
    }
    requests_.trim();
    if (state_ != ClientState::disconnected && state_ != ClientState::reconnecting) conn_.reset(reason);
  }

  [[nodiscard]] Duration backoff() const noexcept {
    Duration d = config_.reconnect.first_backoff;
    for (std::size_t i = 1; i < attempts_ && d < config_.reconnect.max_backoff; ++i) d *= 2;
    return std::min(d, config_.reconnect.max_backoff);
  }

  void maybe_reconnect() {
    if (state_ != ClientState::reconnecting || attempt_running_ || now_ < next_attempt_) return;
    if (attempts_ >= config_.reconnect.max_attempts || !reconnect_ || now_ >= reconnect_deadline_) {
      if (reconnect_ && now_ >= reconnect_deadline_) last_error_ = Error::connect_token_expired;
      push(client_event::IsDead{last_error_, std::move(lost_requests_)});
      lost_requests_.clear();
      reconnect_.reset();
      state_ = ClientState::disconnected;
      return;
    }
    ++attempts_;
    attempt_running_ = true;
    reconnected_ = true;
    if (net_.connect(*reconnect_, now_)) {
      attempt_running_ = false;
      next_attempt_ = now_ + backoff();
    }
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

  void fail_protocol() {
    ++counters_.protocol_violations;
    net_.disconnect();
    while (net_.poll_event()) {
    }
    end_connection(Error::protocol_violation);
    push(client_event::Disconnected{Error::protocol_violation, netcode::DisconnectReason::disconnected_by_application, false});
    state_ = ClientState::disconnected;
  }

  /// netcode connected but the server never said hello: the attempt failed.
  void on_hello_timeout() {
    net_.disconnect();
    while (net_.poll_event()) {
    }
    if (attempt_running_) {
      conn_.reset(Error::connection_timed_out);
      state_ = ClientState::reconnecting;
      attempt_running_ = false;
      last_error_ = Error::connection_timed_out;
      next_attempt_ = now_ + backoff();
      return;
    }
    end_connection(Error::connection_timed_out);
    push(client_event::Disconnected{Error::connection_timed_out, netcode::DisconnectReason::none, false});
    state_ = ClientState::disconnected;
  }

  void read_control() {
    while (link_up()) {
      const auto m = conn_.receive(layout::control_channel);
      if (!m) return;
      switch (static_cast<detail::ControlFrame>(m->message_id)) {
        case detail::ControlFrame::server_hello: on_server_hello(m->bytes); break;
        case detail::ControlFrame::close:
          if (m->bytes.size() == 2) return on_close(static_cast<CloseReason>(detail::get_le<std::uint16_t>(m->bytes.data())));
          return fail_protocol();
        default: return fail_protocol();
      }
    }
  }

  void read_relay() {
    if constexpr (layout::has_relay) {
      while (state_ == ClientState::connected) {
        const auto m = conn_.receive(layout::relay_channel);
        if (!m) return;
        if (!relay_.on_frame(m->message_id, m->bytes)) return fail_protocol();
      }
    }
  }

  void read_tokens() {
    while (link_up()) {
      const auto m = conn_.receive(layout::token_channel);
      if (!m) return;
      on_reconnect_token(m->bytes);
    }
  }

  void on_server_hello(std::span<const std::byte> b) {
    if (b.size() != detail::control_hello_bytes || state_ != ClientState::handshaking) return fail_protocol();
    if (detail::get_le<std::uint64_t>(b.data()) != Pack::schema_hash) {
      net_.disconnect();
      while (net_.poll_event()) {
      }
      end_connection(Error::protocol_mismatch);
      push(client_event::Disconnected{Error::protocol_mismatch, netcode::DisconnectReason::disconnected_by_application, false});
      state_ = ClientState::disconnected;
      return;
    }
    state_ = ClientState::connected;
    if constexpr (layout::has_relay) relay_.set_up(true);
    attempt_running_ = false;
    lost_requests_.clear();
    push(client_event::Connected{detail::get_le<std::uint32_t>(b.data() + 8), reconnected_});
  }

  void on_reconnect_token(std::span<const std::byte> b) {
    const auto parsed = netcode::read_connect_token(b);
    if (b.size() != netcode::connect_token_bytes || !parsed || parsed->expire_timestamp < parsed->create_timestamp)
      return fail_protocol();
    reconnect_.emplace();
    std::copy(b.begin(), b.end(), reconnect_->begin());
    // Clamped: a token that "never expires" (all ones) must not overflow the clock.
    const UnixSeconds lifetime = std::min<UnixSeconds>(parsed->expire_timestamp - parsed->create_timestamp, 1'000'000'000);
    reconnect_deadline_ = now_ + std::chrono::seconds(static_cast<std::int64_t>(lifetime));
  }

  void on_close(CloseReason reason) {
    while (auto m = next_channel_message()) events_.push_back(std::move(*m));
    net_.disconnect();
    while (net_.poll_event()) {
    }
    state_ = ClientState::handshaking;  // so end_connection resets the Connection
    end_connection(Error::closed_by_peer);
    reconnect_.reset();
    push(client_event::ClosedByServer{reason});
    state_ = ClientState::disconnected;
  }

  void read_request_channel() {
    while (link_up()) {
      const auto m = conn_.receive(layout::request_channel);
      if (!m) return;
      if (m->bytes.size() < detail::request_id_bytes || (m->message_id % 2 == 0 && m->message_id < layout::ack_id))
        return fail_protocol();
      const auto wire = detail::get_le<std::uint32_t>(m->bytes.data());
      detail::RequestRecord* r = requests_.find_wire(wire);
      if (r == nullptr) {
        ++counters_.late_answers;
        continue;
      }
      const auto body = m->bytes.subspan(detail::request_id_bytes);
      if (m->message_id < layout::ack_id && m->message_id / 2 != r->pair) return fail_protocol();  // another pair's response
      if (m->message_id == layout::ack_id || m->message_id == layout::reject_id) {
        r->status = m->message_id == layout::ack_id ? RequestStatus::acked : RequestStatus::rejected;
        push(client_event::RequestEnded{r->id, r->status});
        continue;
      }
      detail::with_type_at<typename layout::response_types>(m->message_id / 2, [&]<class Resp>() {
        if (auto value = detail::decode_as<schema, Resp>(body)) {
          r->status = RequestStatus::responded;
          push(client_event::Response<Resp>{r->id, std::move(*value)});
        } else {
          ++counters_.undecodable_messages;
          r->status = RequestStatus::response_lost;
          push(client_event::RequestEnded{r->id, r->status});
        }
      });
    }
  }

  /// Sending → Waiting once the request's packet is acked.
  void advance_requests() noexcept {
    for (const RequestId id : requests_.pending()) {
      detail::RequestRecord* r = requests_.find(id);
      if (r != nullptr && r->status == RequestStatus::sending && conn_.status(r->handle).state == DeliveryState::acked)
        r->status = RequestStatus::waiting;
    }
  }

  void expire_requests() {
    requests_.trim();
    for (const RequestId id : requests_.pending()) {
      detail::RequestRecord* r = requests_.find(id);
      if (r == nullptr || is_final(r->status)) continue;
      if (r->deadline > now_) break;  // ids are in deadline order
      r->status = RequestStatus::timed_out;
      push(client_event::RequestEnded{id, r->status});
    }
    requests_.trim();
  }

  std::optional<Event> next_channel_message() {
    for (std::size_t ch = 0; ch < layout::user_channels; ++ch) {
      while (const auto m = conn_.receive(ch)) {
        std::optional<Event> e;
        detail::with_channel_type<typename layout::channels>(ch, m->message_id, [&]<class T>() {
          if (auto value = detail::decode_as<schema, T>(m->bytes))
            e.emplace(std::in_place_type<client_event::Message<T>>, client_event::Message<T>{std::move(*value)});
        });
        if (e) return e;
        ++counters_.undecodable_messages;
      }
    }
    return std::nullopt;
  }

  // ---- send path ------------------------------------------------------------------------

  void write_packets() noexcept {
    if (!link_up()) return;
    while (const std::size_t n = conn_.write_packet(now_, tx_)) (void)net_.send(std::span(tx_).first(n));
  }

  ClientConfig config_;
  NetClient net_;
  Connection conn_;
  detail::RequestTable requests_;
  std::vector<std::byte> scratch_;
  std::array<std::byte, max_datagram_payload_bytes> tx_{};
  detail::EventQueue<Event> events_;  // reuses its storage: no allocation per event after warm-up
  ClientState state_ = ClientState::disconnected;
  TimePoint now_{};
  [[no_unique_address]] std::conditional_t<has_connect_message, ConnectMessage, std::monostate> connect_message_{};

  // reconnection
  std::optional<std::array<std::byte, netcode::connect_token_bytes>> reconnect_;
  TimePoint reconnect_deadline_{};
  TimePoint hello_until_{};
  TimePoint next_attempt_{};
  std::size_t attempts_ = 0;
  bool attempt_running_ = false;
  bool reconnected_ = false;
  Error last_error_ = Error::ok;
  std::vector<RequestId> lost_requests_;
  TypedCounters counters_;
  RelayClient relay_;  // idle unless the pack has a Relay
};

}  // namespace courier
