#pragma once
/// \file
/// courier::Server<Pack>: the typed server. It runs a netcode server and one session per client
/// slot (detail::SessionTable), checks each client's hello (schema hash and connect message),
/// hands every client single-use reconnect tokens over the encrypted channel
/// (detail::TokenIssuer), and delivers the pack's messages and requests as events
/// (detail::ServerReader). Clients created in this process (HostClient) take a slot and produce
/// the same events, with no encoding, crypto or sockets. Packs with a Relay add the relay part
/// (detail::ServerRelay).
///
/// Per tick: `update(clock)`, then drain `poll_event()`; what the handlers send goes out when
/// the drain ends (poll_event returns nothing), in the same tick. One object, one thread; no
/// internal threads. Not movable (request tokens and host clients point at it).

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>


#include "courier/channel/channel_stats.hpp"
#include "courier/channel/connection.hpp"
#include "courier/core/client_handle.hpp"
#include "courier/core/clock.hpp"
#include "courier/core/error.hpp"
#include "courier/core/little_endian.hpp"
#include "courier/core/result.hpp"
#include "courier/core/slot_view.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/token.hpp"
#include "courier/relay/in_memory_address_book.hpp"
#include "courier/typed/typed_config.hpp"
#include "courier/typed/detail/host_inbox.hpp"
#include "courier/typed/detail/server_core.hpp"
#include "courier/typed/detail/server_intake.hpp"
#include "courier/typed/detail/session_table.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/request_token.hpp"
#include "courier/typed/signal.hpp"
#include "courier/transport/wait.hpp"
#include "courier/typed/typed_stats.hpp"

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
class Server : public ServerEventNames<Pack> {
  using layout = detail::PackLayout<Pack>;
  using schema = typename Pack::schema;
  using Phase = detail::SessionPhase;
  using Session = detail::Session<Pack>;
  using Inbox = detail::HostInbox<Pack>;

 public:
  using Event = ServerEvent<Pack>;
  using ConnectMessage = ConnectMessageOf<Pack>;
  template <class Req> using ResponseFor = typename layout::template response_for<Req>;
  /// The relay's address book (packs with a Relay): Relay<Book>'s Book, InMemoryAddressBook by default.
  using AddressBookType = std::conditional_t<std::is_void_v<typename layout::relay_book>, InMemoryAddressBook,
                                             typename layout::relay_book>;
  static_assert(!layout::has_relay || AddressBook<AddressBookType>,
                "The pack's Relay<Book>: Book does not satisfy courier::AddressBook.");

  /// Takes the bound transport. `config.netcode.protocol_id` is replaced by the pack's; an unset
  /// `public_address` is the bound address. Throws std::system_error (invalid_config naming the
  /// field, e.g. an all-zero private key; crypto_unavailable).
  Server(typename Pack::transport transport, ServerConfig config)
    requires(!layout::has_relay || std::is_default_constructible_v<AddressBookType>)
      : Server(std::move(transport), std::move(config), AddressBookType{}) {}

  /// As above, with the relay's address book (e.g. SqliteAddressBook("/var/lib/game/addresses.db")).
  Server(typename Pack::transport transport, ServerConfig config, AddressBookType book)
      : core_(std::move(transport), checked(std::move(config)), std::move(book), relay_seed()),
        scratch_(layout::largest_frame + detail::request_id_bytes) {}

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Receives, admits clients, resends, refreshes reconnect tokens, writes packets.
  template <Clock K>
  void update(const K& clock) {
    core_.now = clock.now();
    core_.unix_now = clock.unix_now();
    core_.net.update(core_.now, core_.unix_now, core_.net.template receive_budget_under<K>());
    intake_.run();
    core_.relay.update(core_.now);
    core_.kicks.prune(core_.now);
    core_.net.flush();
  }

  /// Sends what is queued now (poll_event does this when a drain ends; call it to send sooner).
  void flush() noexcept {
    for (const std::uint32_t slot : core_.sessions.active()) core_.write_packets(slot);
    core_.unflushed.clear();
    core_.net.flush();
  }

  /// Queues a message for one client. Compiles only for messages the server may send (the
  /// channel's direction). Errors: not_connected (also for a handle of a client that has left),
  /// message_too_large, send_queue_full.
  template <class T>
  Signal send(ClientHandle client, const T& message) {
    check_sendable<T>();
    Session* s = core_.sessions.connected(client);
    if (s == nullptr) return Signal{{}, client, Error::not_connected};
    if (Inbox* inbox = s->local()) {
      inbox->deliver_message(message);
      return Signal{{}, client, {}, true};
    }
    const EncodeResult e = schema::encode(message, std::span(scratch_));
    if (!e) return Signal{{}, client, e.error};
    return send_frame(client, layout::template channel_of<T>, layout::template message_id<T>, e.size);
  }

  /// Queues a message for every connected client; returns how many took it.
  template <class T>
  std::size_t broadcast(const T& message) {
    check_sendable<T>();
    const EncodeResult e = schema::encode(message, std::span(scratch_));
    if (!e) return 0;
    std::size_t sent = 0;
    for (const std::uint32_t slot : core_.sessions.active()) {
      Session& s = core_.sessions[slot];
      if (s.phase != Phase::connected) continue;
      if (Inbox* inbox = s.local()) {
        inbox->deliver_message(message);
        ++sent;
      } else if (!send_frame(core_.sessions.handle_of(slot), layout::template channel_of<T>,
                             layout::template message_id<T>, e.size).error) {
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
    if (!token.issued_by(core_.sink.get())) return Signal{{}, client, Error::invalid_config};
    Session* s = core_.sessions.connected(client);
    if (s == nullptr || s->local() != nullptr) token.release();
    if (s == nullptr) return Signal{{}, client, Error::not_connected};
    if (Inbox* inbox = s->local()) {
      inbox->answer_with(token.wire_id(), response);
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
    Session* s = core_.sessions.live(client);
    if (s == nullptr || s->phase == Phase::closing) return;
    if (Inbox* inbox = s->local()) {
      core_.close_session(client.slot, Error::disconnected_by_application);
      core_.net.disconnect_local(client.slot);
      return inbox->closed(reason);
    }
    core_.kicks.add(s->client_id, reason, core_.now + core_.config.reconnect_token_lifetime);
    core_.close_remote(client.slot, reason, Error::disconnected_by_application);
  }

  /// Closes every client (server_shutting_down: the close frames go out at once, ahead of
  /// netcode's disconnect packets) and stops the netcode server; start() resumes.
  void stop() {
    for (std::size_t i = core_.sessions.active().size(); i-- > 0;) {
      const std::uint32_t slot = core_.sessions.active()[i];
      Session& s = core_.sessions[slot];
      if (s.local() != nullptr) disconnect(core_.sessions.handle_of(slot), CloseReason::server_shutting_down);
      else if (s.phase != Phase::closing)
        core_.close_remote(slot, CloseReason::server_shutting_down, Error::disconnected_by_application);
    }
    while (!core_.sessions.active().empty()) core_.free_session(core_.sessions.active().back(), Error::disconnected_by_application);
    core_.net.stop();
    while (core_.net.poll_event()) {
    }
  }
  void start() noexcept { core_.net.start(); }

  /// The next event: connects, disconnects and host-mode traffic in order, then each client's
  /// requests and messages. When nothing is left, what the handlers sent is written out.
  std::optional<Event> poll_event() {
    for (;;) {
      if (!core_.events.empty()) {
        Event e = std::move(core_.events.front());
        core_.events.pop_front();
        return e;
      }
      const auto slot = core_.sessions.next_ready();
      if (!slot) break;
      if (auto e = next_message(*slot)) return e;
      core_.sessions.pop_ready();  // drained (or closed for a violation, whose Disconnected is queued)
    }
    core_.flush_unflushed();
    return std::nullopt;
  }

  /// The counters of the channel that carries message type T on one client's connection (as
  /// Client::channel_stats); empty for a client that is not connected.
  template <class T>
  [[nodiscard]] ChannelStats channel_stats(ClientHandle client) const noexcept {
    static_assert(layout::template is_channel_message<T>, "Server::channel_stats: this type is not a message of the pack's channels.");
    const Session* session = core_.sessions.live(client);
    if (session == nullptr || session->conn == nullptr) return ChannelStats{};
    return session->conn->channel_stats(layout::template channel_of<T>);
  }

  /// Where a send stands.
  [[nodiscard]] DeliveryStatus status(const Signal& s) const noexcept {
    if (s.error) return DeliveryStatus{DeliveryState::dropped, static_cast<Error>(s.error.value())};
    if (s.in_process) return DeliveryStatus{DeliveryState::acked, Error::ok};
    const Session* session = core_.sessions.live(s.client);
    if (session == nullptr || session->conn == nullptr) return DeliveryStatus{};
    return session->conn->status(s.handle);
  }

  /// A connect token for `client_id` naming this server (public_address, then
  /// NetcodeServerConfig::other_public_addresses, datagram links first), made with the server's own key — the
  /// development shortcut of a game without a token backend yet (yojimbo's "insecure connect").
  /// Not for production: whoever can call this hands out entry to the server; a real game's
  /// backend authenticates the player first and calls make_connect_token<Pack> with the key.
  /// Before the server's first update, `now` also starts its token history (the restart rule's
  /// count, docs/PROTOCOL.md Part 1 §10), so that the token is not refused as older than it.
  [[nodiscard]] Result<ConnectToken> issue_insecure_token(std::uint64_t client_id, UnixSeconds now,
                                                          const TokenOptions& options = {}) noexcept {
    core_.net.start_history(now);
    return core_.issuer.issue(client_id, core_.net.public_addresses(), now, options);
  }

  [[nodiscard]] bool connected(ClientHandle client) const noexcept {
    const Session* s = core_.sessions.live(client);
    return s != nullptr && s->phase == Phase::connected;
  }
  /// The handle of the connected client with this id.
  [[nodiscard]] std::optional<ClientHandle> find(std::uint64_t client_id) const noexcept { return core_.sessions.find(client_id); }
  /// One client's details and connection stats.
  [[nodiscard]] std::optional<ClientInfo> info(ClientHandle client) const noexcept {
    if (!connected(client)) return std::nullopt;
    return info_of(client.slot);
  }
  /// The connected clients, as a forward view of ClientInfo made as it is walked (valid until
  /// the next update).
  [[nodiscard]] auto clients() const {
    return detail::SlotView(
        core_.sessions.active(),
        [this](std::uint32_t slot) { return core_.sessions[slot].phase == Phase::connected; },
        [this](std::uint32_t slot) { return info_of(slot); });
  }
  [[nodiscard]] std::size_t num_connected() const noexcept { return core_.connected; }
  [[nodiscard]] std::size_t max_clients() const noexcept { return core_.net.max_clients(); }
  [[nodiscard]] ServerStats stats() const noexcept { return ServerStats{core_.net.stats(), core_.counters, core_.connected}; }
  [[nodiscard]] const ServerConfig& config() const noexcept { return core_.config; }
  /// The address tokens list (the bound address unless the config names another).
  [[nodiscard]] Address public_address() const noexcept { return core_.net.public_address(); }
  /// Every address tokens list for this server: public_address, then other_public_addresses
  /// (NetcodeServerConfig), datagram links first.
  [[nodiscard]] netcode::AddressList public_addresses() const noexcept { return core_.net.public_addresses(); }
  [[nodiscard]] Address bind_address() const noexcept { return core_.net.bind_address(); }
  [[nodiscard]] typename Pack::transport& transport() noexcept { return core_.net.transport(); }
  /// Waits until a datagram arrives or `max_wait` passes; call it between updates instead of
  /// sleeping (transport/wait.hpp: a transport that cannot be polled makes it a sleep). True
  /// when input may be waiting. For several endpoints in one loop:
  /// `wait_for_input(max_wait, client.transport(), server.transport())`.
  bool wait(Duration max_wait) noexcept { return wait_for_input(max_wait, transport()); }

  /// The relay's address book and statistics (packs with a Relay).
  [[nodiscard]] const AddressBookType& address_book() const noexcept { return core_.relay.book(); }
  [[nodiscard]] const RelayStats& relay_stats() const noexcept { return core_.relay.stats(); }
  /// A connected client's virtual address (packs with a Relay).
  [[nodiscard]] std::optional<VirtualAddress> virtual_address(ClientHandle client) const {
    const Session* s = core_.sessions.live(client);
    return s == nullptr ? std::nullopt : s->virtual_address;
  }

  // ---- host mode: HostClient's calls (not for application code) ---------------------------

  /// Takes a slot for a client in this process; nullopt when full, stopped or the id is taken.
  std::optional<ClientHandle> host_attach(Inbox& inbox, std::uint64_t client_id, const ConnectMessage& message) {
    const auto slot = core_.net.connect_local(client_id);
    if (!slot) return std::nullopt;
    if (core_.sessions[*slot].phase != Phase::free) core_.close_session(*slot, Error::closed_by_peer);
    core_.sessions.open(*slot, client_id, Phase::connected, detail::LocalSession<Pack>{&inbox});
    ++core_.connected;
    core_.push(server_event::Connected<ConnectMessage>{core_.sessions.handle_of(*slot), client_id, Address{}, true, message});
    return core_.sessions.handle_of(*slot);
  }
  void host_detach(ClientHandle client) {
    const Session* s = core_.sessions.live(client);
    if (s == nullptr || s->local() == nullptr) return;
    core_.close_session(client.slot, Error::closed_by_peer);
    core_.net.disconnect_local(client.slot);
  }
  template <class T>
  void host_message(ClientHandle client, const T& message) {
    core_.push(server_event::Message<T>{client, message});
  }
  template <class Req>
  void host_request(ClientHandle client, std::uint32_t wire, const Req& request) {
    core_.push(server_event::Request<Pack, Req>{client, RequestToken<Pack, Req>(core_.sink, client, wire), request});
  }

 private:
  template <class T>
  static constexpr void check_sendable() {
    static_assert(layout::template is_channel_message<T>, "Server::send: this type is not a message of the pack's channels.");
    static_assert(layout::template server_sends<T>,
                  "Server::send: this message's channel is ClientToServer; only clients send it.");
  }

  static ServerConfig checked(ServerConfig c) {
    if (std::string e = c.check(); !e.empty())
      throw std::system_error(make_error_code(Error::invalid_config), "courier::ServerConfig: " + e);
    return c;
  }
  static std::uint64_t relay_seed() noexcept {
    std::uint64_t seed = 0;
    Pack::crypto::random_bytes(std::as_writable_bytes(std::span(&seed, 1)));
    return seed;
  }

  [[nodiscard]] ClientInfo info_of(std::uint32_t slot) const {
    const Session& s = core_.sessions[slot];
    const detail::RemoteSession* r = s.remote();
    return ClientInfo{core_.sessions.handle_of(slot), s.client_id, r != nullptr ? r->address : Address{}, r == nullptr,
                      r != nullptr && s.conn != nullptr ? s.conn->stats() : ConnectionStats{}};
  }

  template <class Req>
  Signal answer(RequestToken<Pack, Req>&& token, std::uint32_t frame) {
    if (!token.issued_by(core_.sink.get())) return Signal{{}, token.client(), Error::invalid_config};
    const Signal sent = core_.send_answer(token.client(), token.wire_id(), frame);
    if (sent.error != make_error_code(Error::send_queue_full)) token.release();
    return sent;
  }

  Signal send_frame(ClientHandle client, std::size_t channel, std::uint32_t id, std::size_t size) {
    const SendResult r = core_.send(client.slot, channel, id, std::span<const std::byte>(scratch_.data(), size));
    return Signal{r.handle, client, r.error};
  }

  /// The next request or message of a ready slot; closes a remote session that broke the rules.
  std::optional<Event> next_message(std::uint32_t slot) {
    Session& s = core_.sessions[slot];
    if (s.phase != Phase::connected || s.remote() == nullptr) return std::nullopt;
    if (auto e = core_.next_remote_message(slot)) return e;
    if (s.remote()->violated) core_.violation(slot);
    return std::nullopt;
  }

  detail::ServerCore<Pack, AddressBookType> core_;
  detail::ServerIntake<Pack, AddressBookType> intake_{core_};
  std::vector<std::byte> scratch_;  // encodes one frame at a time
};

}  // namespace courier
