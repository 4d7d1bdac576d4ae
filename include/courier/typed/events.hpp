#pragma once
/// \file
/// The events a typed Client and Server report. Each side's event is a std::variant over the
/// alternatives below, with one Message<T> per message the other side may send (a channel's
/// direction decides), and Response<T> / Request<T> per request pair. Client<Pack> and
/// Server<Pack> name them without the namespace (Client<Game>::Message<Chat>,
/// Server<Game>::Request<Join>); courier::match checks that each handler takes one of them:
///
/// ```cpp
/// using C = courier::Client<Game>;
/// while (auto e = client.poll_event())
///   courier::match(*e,
///       [](C::Message<Chat>& m) { show(m.message.text); },
///       [](C::Disconnected& d) { log(courier::describe(d.reason)); },
///       [](auto&) {});
/// ```
///
/// Reasons are enums (courier::Error, CloseReason, RequestStatus), never strings.

#include <cstdint>
#include <utility>
#include <variant>
#include <vector>

#include "courier/core/error.hpp"
#include "courier/core/match.hpp"
#include "courier/netcode/events.hpp"
#include "courier/relay/relay_client.hpp"
#include "courier/transport/address.hpp"
#include "courier/typed/close_reason.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/request_token.hpp"
#include "courier/typed/signal.hpp"

namespace courier {

namespace client_event {

/// The server accepted this client and its pack; messages may flow.
struct Connected {
  std::uint32_t slot = 0;       ///< the slot the server gave this client
  bool reconnected = false;     ///< true when an automatic reconnect brought the connection back
};
/// The connection ended, or an attempt failed before it began. `reconnecting`: the client is
/// trying to come back with its reconnect token (a Connected or IsDead follows).
struct Disconnected {
  Error reason = Error::ok;
  netcode::DisconnectReason detail = netcode::DisconnectReason::none;
  bool reconnecting = false;
};
/// The server closed the connection on purpose and said why. No reconnect follows.
struct ClosedByServer {
  CloseReason reason = CloseReason::none;
};
/// A message from the server on one of the pack's channels (one the server may send).
template <class T>
struct Message {
  T message;
};
/// The response to request `id`.
template <class T>
struct Response {
  RequestId id = 0;
  T response;
};
/// A request ended without a response: acked, rejected, send_failed, response_lost, timed_out.
struct RequestEnded {
  RequestId id = 0;
  RequestStatus status = RequestStatus::unknown;
};
/// Automatic reconnection gave up (attempts or the reconnect token's lifetime ran out). `pending`
/// lists the requests the lost connection left unanswered (each also had its RequestEnded).
struct IsDead {
  Error reason = Error::ok;
  std::vector<RequestId> pending;
};

}  // namespace client_event

namespace server_event {

/// A client completed the handshake and its hello; `message` is its connect message
/// (std::monostate when the pack has none). Sent again on every reconnect.
template <class ConnectMsg>
struct Connected {
  ClientHandle client;
  std::uint64_t client_id = 0;
  Address address;   ///< none for an in-process (host-mode) client
  bool local = false;
  ConnectMsg message;
};
/// A client that had Connected is gone.
struct Disconnected {
  ClientHandle client;
  std::uint64_t client_id = 0;
  Error reason = Error::ok;
};
/// A message from a client on one of the pack's channels (one a client may send).
template <class T>
struct Message {
  ClientHandle client;
  T message;
};
/// A request from a client: answer with respond(), acknowledge() or reject(), or let the token
/// go (it rejects on destruction).
template <class Pack, class T>
struct Request {
  ClientHandle client;
  RequestToken<Pack, T> token;
  T request;
};

}  // namespace server_event

namespace detail {

template <class List> struct ConnectMessageType { using type = std::monostate; };
template <class C> struct ConnectMessageType<TypeList<C>> { using type = typename C::message; };

template <class Pack>
struct EventTypes {
  using layout = PackLayout<Pack>;
  template <class T> struct ClientMessage { using type = client_event::Message<T>; };
  template <class T> struct ClientResponse { using type = client_event::Response<T>; };
  template <class T> struct ServerMessage { using type = server_event::Message<T>; };
  template <class T> struct ServerRequest { using type = server_event::Request<Pack, T>; };
  using connect_message = typename ConnectMessageType<typename layout::connect_list>::type;

  using relay_list = std::conditional_t<
      layout::has_relay,
      TypeList<relay_event::AddressAssigned, relay_event::ConnectionRequested, relay_event::Established,
               relay_event::Failed, relay_event::Data, relay_event::Closed, relay_event::Refused>,
      TypeList<>>;
  using client_list = concat_t<
      TypeList<client_event::Connected, client_event::Disconnected, client_event::ClosedByServer,
               client_event::RequestEnded, client_event::IsDead>,
      transform_t<typename layout::server_messages, ClientMessage>,
      transform_t<typename layout::response_types, ClientResponse>, relay_list>;
  using server_list = concat_t<
      TypeList<server_event::Connected<connect_message>, server_event::Disconnected>,
      transform_t<typename layout::client_messages, ServerMessage>,
      transform_t<typename layout::request_types, ServerRequest>>;

  template <class List> struct VariantOf;
  template <class... Ts> struct VariantOf<TypeList<Ts...>> { using type = std::variant<Ts...>; };
};

}  // namespace detail

/// Everything Client<Pack>::poll_event can return.
template <class Pack>
using ClientEvent = typename detail::EventTypes<Pack>::template VariantOf<typename detail::EventTypes<Pack>::client_list>::type;
/// Everything Server<Pack>::poll_event can return.
template <class Pack>
using ServerEvent = typename detail::EventTypes<Pack>::template VariantOf<typename detail::EventTypes<Pack>::server_list>::type;
/// The pack's connect message type, or std::monostate.
template <class Pack>
using ConnectMessageOf = typename detail::EventTypes<Pack>::connect_message;

/// The names Client<Pack> and HostClient<Pack> give their events: Client<Game>::Message<Chat>.
template <class Pack>
struct ClientEventNames {
  using Event = ClientEvent<Pack>;
  using Connected = client_event::Connected;
  using Disconnected = client_event::Disconnected;
  using ClosedByServer = client_event::ClosedByServer;
  using RequestEnded = client_event::RequestEnded;
  using IsDead = client_event::IsDead;
  template <class T> using Message = client_event::Message<T>;
  template <class T> using Response = client_event::Response<T>;
};

/// The names Server<Pack> gives its events: Server<Game>::Request<Join>.
template <class Pack>
struct ServerEventNames {
  using Event = ServerEvent<Pack>;
  using Connected = server_event::Connected<ConnectMessageOf<Pack>>;
  using Disconnected = server_event::Disconnected;
  template <class T> using Message = server_event::Message<T>;
  template <class T> using Request = server_event::Request<Pack, T>;
};

}  // namespace courier
