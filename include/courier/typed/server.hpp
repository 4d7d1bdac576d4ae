#pragma once
/// \file
/// courier::Server<Pack>: the typed server. It runs a netcode server, keeps one Connection per
/// client slot, checks each client's hello (schema hash and connect message), hands every
/// client a fresh single-use reconnect token over the encrypted channel, and delivers the
/// pack's messages and requests as events. Clients created in this process (HostClient) take
/// a slot and produce the same events, with no encoding, crypto or sockets.
///
/// Per tick: `update(now, unix_now)`, then drain `poll_event()`. One object, one thread; no
/// internal threads. Not movable (request tokens and host clients point at it).

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <system_error>
#include <unordered_map>
#include <utility>
#include <vector>

#include <range/v3/view/filter.hpp>
#include <range/v3/view/transform.hpp>

#include "courier/channel/connection.hpp"
#include "courier/core/clock.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/generate_connect_token.hpp"
#include "courier/netcode/ring.hpp"
#include "courier/netcode/server.hpp"
#include "courier/relay/address_book.hpp"
#include "courier/relay/in_memory_address_book.hpp"
#include "courier/relay/relay_server.hpp"
#include "courier/typed/config.hpp"
#include "courier/typed/dispatch.hpp"
#include "courier/typed/event_queue.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/host_client.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/request_token.hpp"
#include "courier/typed/signal.hpp"
#include "courier/typed/stats.hpp"

namespace courier {

/// One connected client, as Server::clients() lists it.
struct ClientInfo {
  ClientHandle handle;
  std::uint64_t client_id = 0;
  Address address;  ///< none for a host-mode client
  bool local = false;
  ConnectionStats stats;  ///< zero for a host-mode client
};

template <class Pack>
class Server {
  using layout = detail::PackLayout<Pack>;
  using schema = typename Pack::schema;
  using NetServer = netcode::Server<typename Pack::transport, typename Pack::crypto>;
  friend class HostClient<Pack>;
  friend class RelayServer<Server>;

 public:
  using Event = ServerEvent<Pack>;
  using ConnectMessage = ConnectMessageOf<Pack>;
  template <class Req> using ResponseFor = typename layout::template response_for<Req>;
  /// The relay's address book (packs with a Relay): Relay<Book>'s Book, InMemoryAddressBook by default.
  using AddressBookType = std::conditional_t<std::is_void_v<typename layout::relay_book>, InMemoryAddressBook,
                                             typename layout::relay_book>;
  static_assert(!layout::has_relay || AddressBook<AddressBookType>,
                "The pack's Relay<Book>: Book does not satisfy courier::AddressBook.");

  /// Takes the bound transport; `config.netcode.protocol_id` is replaced by the pack's.
  /// Throws std::system_error (invalid_config naming the field, crypto_unavailable).
  Server(typename Pack::transport transport, ServerConfig config)
    requires(!layout::has_relay || std::is_default_constructible_v<AddressBookType>)
      : Server(std::move(transport), std::move(config), AddressBookType{}) {}

  /// As above, with the relay's address book (e.g. SqliteAddressBook("/var/lib/game/addresses.db")).
  Server(typename Pack::transport transport, ServerConfig config, AddressBookType book)
      : config_(checked(std::move(config))), net_(std::move(transport), netcode_config(config_)),
        sessions_(net_.max_clients()), ready_(net_.max_clients()), scratch_(layout::largest_frame + detail::request_id_bytes),
        sink_(std::make_shared<detail::TokenSink>(detail::TokenSink{this, &Server::reject_from_token})),
        book_(std::move(book)), relay_(*this, layout::has_relay ? net_.max_clients() : 0, config_.relay, relay_seed()) {}

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server() {
    sink_->owner = nullptr;
    for (Session& s : sessions_)
      if (s.local != nullptr) s.local->server_gone();
  }

  /// Receives, admits clients, resends, refreshes reconnect tokens, writes packets.
  void update(TimePoint now, UnixSeconds unix_now) {
    now_ = now;
    unix_now_ = unix_now;
    net_.update(now, unix_now);
    // Payloads first: one accepted just before its client's disconnect in this update still
    // belongs to the session the disconnect event then closes.
    read_payloads();
    handle_netcode_events();
    // Backwards: service() may free the session, which moves the last active slot into its place.
    for (std::size_t i = active_.size(); i-- > 0;) service(active_[i]);
    if constexpr (layout::has_relay) relay_.update(now_);
    prune_kicks();
    net_.flush();
  }
  template <Clock K>
  void update(const K& clock) {
    update(clock.now(), clock.unix_now());
  }

  /// Sends what is queued now instead of at the next update (lowest latency).
  void flush() noexcept {
    for (const std::uint32_t slot : active_) write_packets(slot);
    net_.flush();
  }

  /// Queues a message of the pack's channels for one client. Errors: not_connected (also for a
  /// handle of a client that has left), message_too_large, send_queue_full.
  template <class T>
  Signal send(ClientHandle client, const T& message) {
    static_assert(layout::template is_channel_message<T>,
                  "Server::send: this type is not a message of the pack's channels.");
    Session* s = connected_session(client);
    if (s == nullptr) return Signal{{}, client, Error::not_connected};
    if (s->local != nullptr) {
      s->local->deliver(typename HostClient<Pack>::Event(std::in_place_type<client_event::Message<T>>,
                                                         client_event::Message<T>{message}));
      return Signal{{}, client, {}, true};
    }
    const EncodeResult e = schema::encode(message, std::span(scratch_));
    if (!e) return Signal{{}, client, e.error};
    return send_frame(client, layout::template channel_of<T>, layout::template message_id<T>, e.size);
  }

  /// Queues a message for every connected client; returns how many took it.
  template <class T>
  std::size_t broadcast(const T& message) {
    static_assert(layout::template is_channel_message<T>,
                  "Server::broadcast: this type is not a message of the pack's channels.");
    const EncodeResult e = schema::encode(message, std::span(scratch_));
    if (!e) return 0;
    std::size_t sent = 0;
    for (const std::uint32_t slot : active_) {
      Session& s = sessions_[slot];
      if (s.phase != Phase::connected) continue;
      if (s.local != nullptr) {
        s.local->deliver(typename HostClient<Pack>::Event(std::in_place_type<client_event::Message<T>>,
                                                           client_event::Message<T>{message}));
        ++sent;
      } else if (s.conn->send(layout::template channel_of<T>, layout::template message_id<T>,
                              std::span<const std::byte>(scratch_.data(), e.size))) {
        ++sent;
      }
    }
    return sent;
  }

  /// Answers a request. The token is disarmed only when the answer is queued (or its client
  /// has left); on send_queue_full it stays armed, so the caller can retry after an update (or
  /// drop it, which rejects). Errors: not_connected (the client left), invalid_config (a token
  /// of another server), message_too_large, send_queue_full.
  template <class Req>
  Signal respond(RequestToken<Pack, Req>&& token, const ResponseFor<Req>& response) {
    const ClientHandle client = token.client();
    if (!token.issued_by(sink_.get())) return Signal{{}, client, Error::invalid_config};
    Session* s = connected_session(client);
    if (s == nullptr) {
      token.release();
      return Signal{{}, client, Error::not_connected};
    }
    if (s->local != nullptr) {
      token.release();
      s->local->template answer_with<ResponseFor<Req>>(token.wire_id(), response);
      return Signal{{}, client, {}, true};
    }
    detail::put_le(scratch_.data(), token.wire_id());
    const EncodeResult e = schema::encode(response, std::span(scratch_).subspan(detail::request_id_bytes));
    if (!e) return Signal{{}, client, e.error};
    const Signal sent = send_frame(client, layout::request_channel, 2 * layout::template pair_of<Req> + 1,
                                   detail::request_id_bytes + e.size);
    if (!sent.error) token.release();
    return sent;
  }

  /// Acknowledges a request without a response (the client sees RequestEnded{acked}).
  template <class Req>
  Signal acknowledge(RequestToken<Pack, Req>&& token) {
    return answer(std::move(token), layout::ack_id);
  }
  /// Rejects a request (the client sees RequestEnded{rejected}); dropping the token does the same.
  template <class Req>
  Signal reject(RequestToken<Pack, Req>&& token) {
    return answer(std::move(token), layout::reject_id);
  }

  /// Closes a client's connection, telling it why (ClosedByServer on its side). The client id
  /// is then refused for `reconnect_token_lifetime` (a short ban: its reconnect tokens, and any
  /// fresh token for the same id, are closed again with the same reason).
  void disconnect(ClientHandle client, CloseReason reason = CloseReason::kicked) {
    Session* s = live_session(client);
    if (s == nullptr || s->phase == Phase::closing) return;
    if (s->local != nullptr) {
      HostClient<Pack>* local = s->local;
      close_session(client.slot, Error::disconnected_by_application);
      net_.disconnect_local(client.slot);
      local->closed(reason);
      return;
    }
    kicked_[s->client_id] = Kick{reason, now_ + config_.reconnect_token_lifetime};
    close_remote(client.slot, reason, Error::disconnected_by_application);
  }

  /// Closes every client (server_shutting_down: the close frames go out at once, ahead of
  /// netcode's disconnect packets) and stops the netcode server; start() resumes.
  void stop() {
    for (std::size_t i = active_.size(); i-- > 0;) {
      const std::uint32_t slot = active_[i];
      Session& s = sessions_[slot];
      if (s.local != nullptr) disconnect(handle_of(slot), CloseReason::server_shutting_down);
      else if (s.phase != Phase::closing) close_remote(slot, CloseReason::server_shutting_down, Error::disconnected_by_application);
    }
    while (!active_.empty()) free_session(active_.back(), Error::disconnected_by_application);
    net_.stop();
    while (net_.poll_event()) {
    }
  }
  void start() noexcept { net_.start(); }

  /// The next event: connects, disconnects and host-mode traffic in order, then each client's
  /// requests and messages.
  std::optional<Event> poll_event() {
    if (!events_.empty()) {
      Event e = std::move(events_.front());
      events_.pop_front();
      return e;
    }
    while (!ready_.empty()) {
      const std::uint32_t slot = *ready_.front();
      Session& s = sessions_[slot];
      if (s.phase == Phase::connected && s.local == nullptr) {
        if (auto e = next_message(slot)) return e;
        if (s.violated) {
          ++counters_.protocol_violations;
          close_remote(slot, CloseReason::protocol_violation, Error::protocol_violation);
        }
      }
      s.ready = false;
      ready_.pop();
    }
    return std::nullopt;
  }

  /// Where a send stands.
  [[nodiscard]] DeliveryStatus status(const Signal& s) const noexcept {
    if (s.error) return DeliveryStatus{DeliveryState::dropped, static_cast<Error>(s.error.value())};
    if (s.in_process) return DeliveryStatus{DeliveryState::acked, Error::ok};
    const Session* session = live_session(s.client);
    if (session == nullptr || session->conn == nullptr) return DeliveryStatus{};
    return session->conn->status(s.handle);
  }

  [[nodiscard]] bool connected(ClientHandle client) const noexcept {
    const Session* s = live_session(client);
    return s != nullptr && s->phase == Phase::connected;
  }
  /// The handle of the connected client with this id.
  [[nodiscard]] std::optional<ClientHandle> find(std::uint64_t client_id) const noexcept {
    for (const std::uint32_t slot : active_)
      if (sessions_[slot].phase == Phase::connected && sessions_[slot].client_id == client_id)
        return ClientHandle{slot, sessions_[slot].generation};
    return std::nullopt;
  }
  /// One client's details and connection stats.
  [[nodiscard]] std::optional<ClientInfo> info(ClientHandle client) const noexcept {
    const Session* s = live_session(client);
    if (s == nullptr || s->phase != Phase::connected) return std::nullopt;
    return info_of(client.slot);
  }
  /// The connected clients, as a range-v3 view of ClientInfo (valid until the next update).
  [[nodiscard]] auto clients() const {
    return active_ | ranges::views::filter([this](std::uint32_t slot) { return sessions_[slot].phase == Phase::connected; }) |
           ranges::views::transform([this](std::uint32_t slot) { return info_of(slot); });
  }
  [[nodiscard]] std::size_t num_connected() const noexcept { return connected_; }
  [[nodiscard]] std::size_t max_clients() const noexcept { return net_.max_clients(); }
  [[nodiscard]] ServerStats stats() const noexcept { return ServerStats{net_.stats(), counters_, connected_}; }
  [[nodiscard]] const ServerConfig& config() const noexcept { return config_; }
  [[nodiscard]] Address public_address() const noexcept { return net_.public_address(); }
  [[nodiscard]] Address bind_address() const noexcept { return net_.bind_address(); }
  [[nodiscard]] typename Pack::transport& transport() noexcept { return net_.transport(); }

  /// The relay's address book and statistics (packs with a Relay).
  [[nodiscard]] const AddressBookType& address_book() const noexcept { return book_; }
  [[nodiscard]] const RelayStats& relay_stats() const noexcept { return relay_.stats(); }
  /// A connected client's virtual address (packs with a Relay).
  [[nodiscard]] std::optional<VirtualAddress> virtual_address(ClientHandle client) const {
    const Session* s = live_session(client);
    if (s == nullptr || !s->address_assigned) return std::nullopt;
    return s->virtual_address;
  }

 private:
  // free → hello (netcode connected) → connected (hello checked) → closing (close frame
  // sent, lingering until it is acked) → free.
  enum class Phase : std::uint8_t { free, hello, connected, closing };

  struct Session {
    Phase phase = Phase::free;
    bool ready = false;  // queued in ready_
    bool violated = false;  // a frame out of place was found while reading; close it
    bool address_assigned = false;  // relay: on_connected was called
    VirtualAddress virtual_address;
    std::uint32_t generation = 0;
    std::uint32_t active_index = 0;
    std::uint64_t client_id = 0;
    std::uint64_t net_connection = 0;  // the netcode connection this session runs on
    Address address;
    TimePoint next_token{};
    TimePoint linger_until{};  // closing: give up waiting for the close frame's ack
    TimePoint hello_until{};   // hello: the client must say hello by then
    MessageHandle close_frame;
    std::vector<std::uint32_t> unsent_rejects;  // rejects of dropped tokens that found the queue full
    std::unique_ptr<Connection> conn;  // made on the slot's first remote client, reset after
    HostClient<Pack>* local = nullptr;
  };
  struct Kick {
    CloseReason reason;
    TimePoint until;
  };

  static ServerConfig checked(ServerConfig c) {
    std::string e = c.check();
    if (e.empty()) e = netcode_config(c).check();
    if (!e.empty()) throw std::system_error(make_error_code(Error::invalid_config), "courier::ServerConfig: " + e);
    return c;
  }
  static netcode::ServerConfig netcode_config(const ServerConfig& c) {
    netcode::ServerConfig n = c.netcode;
    n.protocol_id = Pack::protocol_id;
    return n;
  }

  template <class E>
  void push(E&& e) {
    events_.emplace_back(std::in_place_type<std::decay_t<E>>, std::forward<E>(e));
  }

  [[nodiscard]] Session* live_session(ClientHandle c) noexcept {
    if (c.slot >= sessions_.size()) return nullptr;
    Session& s = sessions_[c.slot];
    return s.phase != Phase::free && s.generation == c.generation ? &s : nullptr;
  }
  [[nodiscard]] const Session* live_session(ClientHandle c) const noexcept {
    return const_cast<Server*>(this)->live_session(c);
  }
  [[nodiscard]] Session* connected_session(ClientHandle c) noexcept {
    Session* s = live_session(c);
    return s != nullptr && s->phase == Phase::connected ? s : nullptr;
  }
  [[nodiscard]] ClientHandle handle_of(std::uint32_t slot) const noexcept { return {slot, sessions_[slot].generation}; }

  [[nodiscard]] ClientInfo info_of(std::uint32_t slot) const {
    const Session& s = sessions_[slot];
    return ClientInfo{handle_of(slot), s.client_id, s.address, s.local != nullptr,
                      s.conn != nullptr && s.local == nullptr ? s.conn->stats() : ConnectionStats{}};
  }

  // ---- sessions ---------------------------------------------------------------------------

  std::uint32_t open_session(std::uint32_t slot, std::uint64_t client_id, Address address, Phase phase) {
    Session& s = sessions_[slot];
    s.phase = phase;
    s.generation = s.generation == 0xFFFFFFFFu ? 1 : s.generation + 1;
    s.client_id = client_id;
    s.address = address;
    s.local = nullptr;
    s.active_index = static_cast<std::uint32_t>(active_.size());
    active_.push_back(slot);
    return s.generation;
  }

  /// Reports the end of a session: messages it delivered stay pollable, then Disconnected
  /// (if it had Connected).
  void report_end(std::uint32_t slot, Error reason) {
    Session& s = sessions_[slot];
    if (s.phase != Phase::connected) return;
    if constexpr (layout::has_relay) {
      if (s.address_assigned) {
        if (s.local == nullptr) drain_relay(slot);  // frames that came with the disconnect
        relay_.on_disconnected(handle_of(slot));
      }
      s.address_assigned = false;
    }
    if (s.local == nullptr)
      while (auto e = next_message(slot)) events_.push_back(std::move(*e));
    push(server_event::Disconnected{handle_of(slot), s.client_id, reason});
    --connected_;
  }

  /// Frees a session's slot in the typed layer (the netcode slot is the caller's business).
  void free_session(std::uint32_t slot, Error reason) {
    Session& s = sessions_[slot];
    if (s.phase == Phase::free) return;
    if (s.conn != nullptr && s.local == nullptr) s.conn->reset(reason);
    s.phase = Phase::free;
    s.local = nullptr;
    const std::uint32_t moved = active_.back();
    active_[s.active_index] = moved;
    sessions_[moved].active_index = s.active_index;
    active_.pop_back();
  }

  void close_session(std::uint32_t slot, Error reason) {
    report_end(slot, reason);
    free_session(slot, reason);
  }

  /// Sends the close frame and reports the end at once; the session lingers (packets still
  /// flow, nothing is delivered) until the frame is acked or `close_linger` passes, then the
  /// netcode slot is freed. A reconnect with a token of a kicked client meets the kick again.
  void close_remote(std::uint32_t slot, CloseReason reason, Error error) {
    Session& s = sessions_[slot];
    std::array<std::byte, 2> frame{};
    detail::put_le(frame.data(), static_cast<std::uint16_t>(reason));
    s.close_frame = s.conn->send(layout::control_channel, static_cast<std::uint32_t>(detail::ControlFrame::close), frame).handle;
    report_end(slot, error);
    s.phase = Phase::closing;
    s.linger_until = now_ + config_.close_linger;
    write_packets(slot);
  }

  /// Ends a lingering session once its close frame is acked or the linger time is up.
  void finish_closing(std::uint32_t slot) {
    Session& s = sessions_[slot];
    if (s.conn->status(s.close_frame).state != DeliveryState::acked && now_ < s.linger_until) return;
    free_session(slot, Error::disconnected_by_application);
    net_.disconnect(slot);
  }

  void handle_netcode_events() {
    while (handle_next_netcode_event()) {
    }
  }

  /// Handles the oldest netcode event; false when there is none.
  bool handle_next_netcode_event() {
    const auto e = net_.poll_event();
    if (!e) return false;
    if (e->type == netcode::ServerEventType::client_connected) {
      Session& s = sessions_[e->client_index];
      if (s.phase != Phase::free) close_session(e->client_index, Error::closed_by_peer);
      open_session(e->client_index, e->client_id, e->address, Phase::hello);
      s.net_connection = e->connection;
      s.hello_until = now_ + config_.hello_timeout;
      s.violated = false;
      s.unsent_rejects.clear();
      if (s.conn == nullptr) s.conn = std::make_unique<Connection>(layout::connection_config(config_));
    } else if (e->type == netcode::ServerEventType::client_disconnected) {
      const Session& s = sessions_[e->client_index];
      if (s.local == nullptr && s.net_connection == e->connection)
        close_session(e->client_index, netcode::to_error(e->reason));
    }
    return true;
  }

  [[nodiscard]] bool session_takes(const netcode::ReceivedPayload& p) const noexcept {
    const Session& s = sessions_[p.client_index];
    return s.phase != Phase::free && s.local == nullptr && s.net_connection == p.connection;
  }

  void read_payloads() {
    while (const auto p = net_.receive()) {
      // A client that connected during this update's net_.update() may already have sent its
      // hello (it answers the keep-alive at once). Events and payloads are both queued in
      // arrival order, so handling events until the payload's session opens keeps that hello;
      // every payload of a connection an earlier event ends was ahead of this one and is read.
      while (!session_takes(*p) && handle_next_netcode_event()) {
      }
      if (!session_takes(*p)) {
        ++counters_.dropped_payloads;  // its session ended (or never began) before it was read
        continue;
      }
      Session& s = sessions_[p->client_index];
      const bool closing = s.phase == Phase::closing;
      if (s.conn->read_packet(now_, p->bytes)) {
        if (closing) continue;  // that peer was counted and is being closed already
        ++counters_.protocol_violations;
        close_remote(p->client_index, CloseReason::protocol_violation, Error::protocol_violation);
        continue;
      }
      mark_ready(p->client_index);
      if (s.conn->acks_backlogged()) write_packets(p->client_index);  // ack a long burst as it comes
    }
  }

  void mark_ready(std::uint32_t slot) {
    Session& s = sessions_[slot];
    if (s.phase != Phase::connected || s.ready) return;
    s.ready = true;
    (void)ready_.push(slot);  // never full: a slot is in it at most once
  }

  /// Per-tick work of one active remote session.
  void service(std::uint32_t slot) {
    Session& s = sessions_[slot];
    if (s.local != nullptr) return;
    if (s.phase == Phase::closing) {
      s.conn->update(now_);
      write_packets(slot);
      return finish_closing(slot);
    }
    read_control(slot);
    if (s.phase == Phase::free) return;
    if (s.phase == Phase::hello && now_ >= s.hello_until)
      return close_remote(slot, CloseReason::protocol_violation, Error::timed_out);
    if (s.phase == Phase::connected && now_ >= s.next_token) send_reconnect_token(slot);
    read_relay(slot);
    if (s.phase != Phase::connected && s.phase != Phase::hello) return;
    retry_rejects(slot);
    s.conn->update(now_);
    write_packets(slot);
  }

  void write_packets(std::uint32_t slot) noexcept {
    Session& s = sessions_[slot];
    if (s.phase == Phase::free || s.local != nullptr) return;
    while (const std::size_t n = s.conn->write_packet(now_, tx_)) (void)net_.send(slot, std::span(tx_).first(n));
  }

  void read_control(std::uint32_t slot) {
    Session& s = sessions_[slot];
    while (s.phase == Phase::hello || s.phase == Phase::connected) {
      const auto m = s.conn->receive(layout::control_channel);
      if (!m) return;
      if (s.phase != Phase::hello || m->message_id != static_cast<std::uint32_t>(detail::ControlFrame::client_hello) ||
          m->bytes.size() < 8) {
        ++counters_.protocol_violations;
        return close_remote(slot, CloseReason::protocol_violation, Error::protocol_violation);
      }
      on_client_hello(slot, m->bytes);
    }
  }

  void on_client_hello(std::uint32_t slot, std::span<const std::byte> bytes) {
    Session& s = sessions_[slot];
    if (detail::get_le<std::uint64_t>(bytes.data()) != Pack::schema_hash) {
      ++counters_.pack_mismatches;
      return close_remote(slot, CloseReason::pack_mismatch, Error::protocol_mismatch);
    }
    if (const auto k = kicked_.find(s.client_id); k != kicked_.end()) {
      if (k->second.until > now_) return close_remote(slot, k->second.reason, Error::rejected_by_application);
      kicked_.erase(k);
    }
    std::optional<ConnectMessage> message(std::in_place);
    if constexpr (layout::has_connect_message)
      message = detail::decode_as<schema, ConnectMessage>(bytes.subspan(8));
    else if (bytes.size() != 8)
      message.reset();
    if (!message) {
      ++counters_.protocol_violations;
      return close_remote(slot, CloseReason::protocol_violation, Error::protocol_violation);
    }
    s.phase = Phase::connected;
    ++connected_;
    push(server_event::Connected<ConnectMessage>{handle_of(slot), s.client_id, s.address, false, std::move(*message)});
    std::array<std::byte, detail::control_hello_bytes> hello{};
    detail::put_le(hello.data(), Pack::schema_hash);
    detail::put_le(hello.data() + 8, slot);
    detail::put_le(hello.data() + 12, static_cast<std::uint32_t>(net_.max_clients()));
    (void)s.conn->send(layout::control_channel, static_cast<std::uint32_t>(detail::ControlFrame::server_hello), hello);
    send_reconnect_token(slot);
    if constexpr (layout::has_relay) join_relay(slot);
    mark_ready(slot);
  }

  /// Gives a connected client its virtual address. A full or failing book leaves the client
  /// without the relay (its relay frames are then violations), counted in relay_unavailable.
  void join_relay(std::uint32_t slot) {
    Session& s = sessions_[slot];
    std::optional<VirtualAddress> address;
    try {
      address = book_.assign(s.client_id);
    } catch (...) {
      address.reset();
    }
    if (!address) {
      ++counters_.relay_unavailable;
      return;
    }
    s.address_assigned = true;
    s.virtual_address = *address;
    relay_.on_connected(handle_of(slot), *address, now_);
  }

  /// RelayServer's sink: one relay frame to a connected remote client.
  bool relay_send(ClientHandle to, detail::RelayFrame frame, std::span<const std::byte> bytes) {
    Session* s = connected_session(to);
    if (s == nullptr || s->local != nullptr) return false;
    return !s->conn->send(layout::relay_channel, static_cast<std::uint32_t>(frame), bytes).error;
  }

  void read_relay(std::uint32_t slot) {
    if constexpr (layout::has_relay) {
      Session& s = sessions_[slot];
      while (s.phase == Phase::connected) {
        const auto m = s.conn->receive(layout::relay_channel);
        if (!m) return;
        if (!s.address_assigned || !relay_.on_frame(handle_of(slot), m->message_id, m->bytes, now_)) {
          ++counters_.protocol_violations;
          return close_remote(slot, CloseReason::protocol_violation, Error::protocol_violation);
        }
      }
    }
  }

  /// Applies the relay frames a leaving client sent before it left (a close, last data);
  /// a bad one is ignored, the session is ending anyway.
  void drain_relay(std::uint32_t slot) {
    if constexpr (layout::has_relay) {
      while (const auto m = sessions_[slot].conn->receive(layout::relay_channel))
        if (!relay_.on_frame(handle_of(slot), m->message_id, m->bytes, now_)) ++counters_.protocol_violations;
    }
  }

  static std::uint64_t relay_seed() noexcept {
    std::uint64_t seed = 0;
    Pack::crypto::random_bytes(std::as_writable_bytes(std::span(&seed, 1)));
    return seed;
  }

  /// A fresh single-use token for this client id, this server only, short-lived.
  void send_reconnect_token(std::uint32_t slot) {
    Session& s = sessions_[slot];
    s.next_token = now_ + config_.reconnect_token_lifetime / 3;
    ConnectTokenParams p;
    p.protocol_id = Pack::protocol_id;
    p.client_id = s.client_id;
    p.public_addresses = {net_.public_address()};
    p.now = unix_now_;
    p.expire_seconds = config_.reconnect_token_lifetime.count();
    p.timeout_seconds = config_.reconnect_token_timeout_seconds;
    p.private_key = config_.netcode.private_key;
    p.user_data = net_.client_user_data(slot);
    std::array<std::byte, netcode::connect_token_bytes> token{};
    if (generate_connect_token<typename Pack::crypto>(p, token)) return;
    (void)s.conn->send(layout::token_channel, 0, token);
  }

  // ---- requests and messages --------------------------------------------------------------

  Signal send_frame(ClientHandle client, std::size_t channel, std::uint32_t id, std::size_t size) {
    const SendResult r = sessions_[client.slot].conn->send(channel, id, std::span<const std::byte>(scratch_.data(), size));
    return Signal{r.handle, client, r.error};
  }

  template <class Req>
  Signal answer(RequestToken<Pack, Req>&& token, std::uint32_t frame) {
    if (!token.issued_by(sink_.get())) return Signal{{}, token.client(), Error::invalid_config};
    const Signal sent = send_answer(token.client(), token.wire_id(), frame);
    if (sent.error != make_error_code(Error::send_queue_full)) token.release();
    return sent;
  }

  Signal send_answer(ClientHandle client, std::uint32_t wire, std::uint32_t frame) {
    Session* s = connected_session(client);
    if (s == nullptr) return Signal{{}, client, Error::not_connected};
    if (s->local != nullptr) {
      s->local->answer_without(wire, frame == layout::ack_id ? RequestStatus::acked : RequestStatus::rejected);
      return Signal{{}, client, {}, true};
    }
    std::array<std::byte, detail::request_id_bytes> id{};
    detail::put_le(id.data(), wire);
    const SendResult r = s->conn->send(layout::request_channel, frame, id);
    return Signal{r.handle, client, r.error};
  }

  /// A dropped token's reject: queued now, or kept for the next update when the queue is full.
  static void reject_from_token(void* owner, ClientHandle client, std::uint32_t wire) noexcept {
    auto* self = static_cast<Server*>(owner);
    try {
      if (self->send_answer(client, wire, layout::reject_id).error == make_error_code(Error::send_queue_full))
        self->live_session(client)->unsent_rejects.push_back(wire);
    } catch (...) {  // out of memory: the request times out on the client instead
    }
  }

  void retry_rejects(std::uint32_t slot) {
    Session& s = sessions_[slot];
    while (!s.unsent_rejects.empty()) {
      if (send_answer(handle_of(slot), s.unsent_rejects.back(), layout::reject_id).error) return;
      s.unsent_rejects.pop_back();
    }
  }

  void prune_kicks() {
    if (kicked_.empty() || now_ < next_kick_prune_) return;
    next_kick_prune_ = now_ + std::chrono::seconds(1);
    std::erase_if(kicked_, [this](const auto& k) { return k.second.until <= now_; });
  }

  /// The next request or message of a remote client.
  std::optional<Event> next_message(std::uint32_t slot) {
    Connection& c = *sessions_[slot].conn;
    const ClientHandle client = handle_of(slot);
    while (const auto m = c.receive(layout::request_channel)) {
      std::optional<Event> e;
      if (m->message_id % 2 != 0 || m->message_id >= layout::ack_id || m->bytes.size() < detail::request_id_bytes) {
        sessions_[slot].violated = true;  // answers travel server → client only; closed by the caller
        continue;
      }
      {
        const auto wire = detail::get_le<std::uint32_t>(m->bytes.data());
        detail::with_type_at<typename layout::request_types>(m->message_id / 2, [&]<class Req>() {
          if (auto value = detail::decode_as<schema, Req>(m->bytes.subspan(detail::request_id_bytes)))
            e.emplace(std::in_place_type<server_event::Request<Pack, Req>>,
                      server_event::Request<Pack, Req>{client, RequestToken<Pack, Req>(sink_, client, wire), std::move(*value)});
        });
      }
      if (e) return e;
      ++counters_.undecodable_messages;
    }
    for (std::size_t ch = 0; ch < layout::user_channels; ++ch) {
      while (const auto m = c.receive(ch)) {
        std::optional<Event> e;
        detail::with_channel_type<typename layout::channels>(ch, m->message_id, [&]<class T>() {
          if (auto value = detail::decode_as<schema, T>(m->bytes))
            e.emplace(std::in_place_type<server_event::Message<T>>, server_event::Message<T>{client, std::move(*value)});
        });
        if (e) return e;
        ++counters_.undecodable_messages;
      }
    }
    return std::nullopt;
  }

  // ---- host mode (called by HostClient) ---------------------------------------------------

  std::optional<ClientHandle> attach_local(HostClient<Pack>* local, std::uint64_t client_id, const ConnectMessage& message) {
    const auto slot = net_.connect_local(client_id);
    if (!slot) return std::nullopt;
    if (sessions_[*slot].phase != Phase::free) close_session(*slot, Error::closed_by_peer);
    open_session(*slot, client_id, Address{}, Phase::connected);
    sessions_[*slot].local = local;
    ++connected_;
    push(server_event::Connected<ConnectMessage>{handle_of(*slot), client_id, Address{}, true, message});
    return handle_of(*slot);
  }

  void detach_local(ClientHandle client) {
    Session* s = live_session(client);
    if (s == nullptr || s->local == nullptr) return;
    close_session(client.slot, Error::closed_by_peer);
    net_.disconnect_local(client.slot);
  }

  template <class T>
  void local_message(ClientHandle client, const T& message) {
    push(server_event::Message<T>{client, message});
  }

  template <class Req>
  void local_request(ClientHandle client, std::uint32_t wire, const Req& request) {
    push(server_event::Request<Pack, Req>{client, RequestToken<Pack, Req>(sink_, client, wire), request});
  }

  ServerConfig config_;
  NetServer net_;
  std::vector<Session> sessions_;            // one per netcode slot
  std::vector<std::uint32_t> active_;        // slots with a session, any order
  netcode::detail::FixedRing<std::uint32_t> ready_;  // connected slots that may hold messages (each once)
  detail::EventQueue<Event> events_;  // reuses its storage: no allocation per event after warm-up
  std::vector<std::byte> scratch_;
  std::array<std::byte, max_datagram_payload_bytes> tx_{};
  std::shared_ptr<detail::TokenSink> sink_;
  std::unordered_map<std::uint64_t, Kick> kicked_;
  TimePoint next_kick_prune_{};
  [[no_unique_address]] AddressBookType book_;
  RelayServer<Server> relay_;  // idle unless the pack has a Relay
  TypedCounters counters_;
  std::size_t connected_ = 0;
  TimePoint now_{};
  UnixSeconds unix_now_ = 0;
};

}  // namespace courier
