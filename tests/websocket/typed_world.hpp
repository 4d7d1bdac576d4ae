#pragma once
// A typed Server<Pack> on real sockets (WebSocketServer, or Multi<Udp, WebSocketServer>) with
// clients of any transport, pumped together on the steady clock. The server records its
// events; each peer records its own. Tokens come from the server's issue_insecure_token, so
// they list every public address of the server (UDP first), as a backend's would.

#include "typed/game_pack.hpp"
#include "typed/harness.hpp"
#include "ws_harness.hpp"

#include <courier/core/steady_clock.hpp>
#include <courier/transport/multi.hpp>
#include <courier/transport/udp.hpp>
#include <courier/transport/websocket/websocket_client.hpp>
#include <courier/transport/websocket/websocket_server.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace courier::test {

using WsServerGame = WithTransport<Game, WebSocketServer>;
using MixedServerGame = WithTransport<Game, Multi<Udp, WebSocketServer>>;
using WsClientGame = WithTransport<Game, WebSocketClient>;
using UdpClientGame = WithTransport<Game, Udp>;

/// One client and every event it reported.
template <class P>
struct TypedPeer {
  std::unique_ptr<Client<P>> client;
  std::vector<typename Client<P>::Event> events;

  template <class E>
  [[nodiscard]] std::vector<E> all() const {
    return of_type<E>(events);
  }
  void step(const SteadyClock& clock) {
    client->update(clock);
    while (auto e = client->poll_event()) events.push_back(std::move(*e));
  }
};

template <class S>
class TypedWorld {
 public:
  using ServerType = Server<S>;

  TypedWorld(typename S::transport transport, ServerConfig config = {}) {
    config.netcode.max_clients = 16;
    config.netcode.private_key = typed_test_key();
    server_ = std::make_unique<ServerType>(std::move(transport), config);
  }

  [[nodiscard]] ServerType& server() noexcept { return *server_; }

  template <class P>
  TypedPeer<P>& add(typename P::transport transport, ClientConfig config = {}) {
    auto peer = std::make_shared<TypedPeer<P>>();
    peer->client = std::make_unique<Client<P>>(std::move(transport), config);
    steps_.push_back([peer, this] { peer->step(clock_); });
    return *peer;
  }

  Token token(std::uint64_t client_id) const { return server_->issue_insecure_token(client_id, clock_.unix_now()).value(); }

  void step() {
    for (auto& s : steps_) s();
    server_->update(clock_);
    while (auto e = server_->poll_event()) on_server_event(std::move(*e));
  }
  bool run_until(const std::function<bool()>& done) {
    return pump_until([this] { step(); }, done);
  }
  void run_for(std::chrono::milliseconds d) {
    const auto end = std::chrono::steady_clock::now() + d;
    while (std::chrono::steady_clock::now() < end) {
      step();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  template <class P>
  std::optional<ClientHandle> connect(TypedPeer<P>& p, std::uint64_t client_id, const std::string& name) {
    if (p.client->connect(token(client_id), Login{std::string_view(name)})) return std::nullopt;
    if (!run_until([&] { return p.client->connected() && handle_of(client_id).has_value(); })) return std::nullopt;
    return handle_of(client_id);
  }

  /// Until `p` holds its reconnect token and the acks of that block have travelled back.
  template <class P>
  bool settle(TypedPeer<P>& p) {
    if (!run_until([&] { return p.client->has_reconnect_token(); })) return false;
    run_for(std::chrono::milliseconds(200));
    return true;
  }

  [[nodiscard]] std::optional<ClientHandle> handle_of(std::uint64_t client_id) const {
    std::optional<ClientHandle> h;
    for (const auto& c : connected_)
      if (c.client_id == client_id) h = c.client;  // the latest connection of that id
    return h;
  }

  std::vector<server_event::Connected<Login>> connected_;
  std::vector<server_event::Disconnected> disconnected_;
  std::vector<server_event::Message<Chat>> chats_;
  std::vector<server_event::Message<Note>> notes_;
  std::vector<server_event::Message<Move>> moves_;
  std::vector<server_event::Message<Ping>> pings_;
  std::vector<Signal> responses_;
  std::size_t saves_ = 0;
  std::size_t logins_ = 0;
  std::size_t unexpected_ = 0;
  /// When set, every chat is also passed on to this client (the mixed test's exchange).
  std::function<void(const server_event::Message<Chat>&)> on_chat;

 private:
  void on_server_event(typename ServerType::Event e) {
    std::visit(overloaded{
        [&](server_event::Connected<Login>& c) { connected_.push_back(c); },
        [&](server_event::Disconnected& d) { disconnected_.push_back(d); },
        [&](server_event::Message<Chat>& m) {
          chats_.push_back(m);
          if (on_chat) on_chat(m);
        },
        [&](server_event::Message<Note>& m) { notes_.push_back(m); },
        [&](server_event::Message<Move>& m) { moves_.push_back(m); },
        [&](server_event::Message<Ping>& m) { pings_.push_back(m); },
        [&](server_event::Request<S, Save>& r) {
          ++saves_;
          responses_.push_back(server_->respond(std::move(r.token), Saved{r.request.slot == 42}));
        },
        [&](server_event::Request<S, Login>& r) {
          ++logins_;
          responses_.push_back(server_->acknowledge(std::move(r.token)));
        },
        [&](auto&) { ++unexpected_; }},
        e);
  }

  SteadyClock clock_;
  std::unique_ptr<ServerType> server_;
  std::vector<std::function<void()>> steps_;
};

}  // namespace courier::test
