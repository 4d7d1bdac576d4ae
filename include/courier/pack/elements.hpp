#pragma once
/// \file
/// The building blocks a ChannelPack lists: its version, channels, request/response pairs, the
/// connect message, and the policies it picks. Each is an empty tag type; ChannelPack reads them.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "courier/channel/reliability_mode.hpp"
#include "courier/core/type_list.hpp"
#include "courier/pack/fixed_string.hpp"

namespace courier {

/// The protocol's version string; part of the schema hash.
template <FixedString Text>
struct Version {
  static constexpr std::string_view text = Text.view();
};

/// Channel option: the largest message the channel accepts, in encoded bytes.
template <std::size_t Bytes>
struct MaxMessageBytes {
  static constexpr std::size_t value = Bytes;
};

/// Channel option: a higher priority channel is packed into each packet first.
template <int Level>
struct Priority {
  static constexpr int value = Level;
};

/// Channel option, unreliable channels only: a message still waiting in the send queue
/// `Milliseconds` after `send` (the connection's rate controller held it back) is dropped and
/// reported as Dropped(Error::congestion) instead of going out late, oldest first; counted per
/// channel. A snapshot or an input that old is worth less than the next one. Without it an
/// unreliable message waits as long as it takes. Local to the sender: not part of the wire.
template <std::uint32_t Milliseconds>
struct MaxSendDelay {
  static_assert(Milliseconds > 0, "MaxSendDelay<0> would drop every message: give a delay in milliseconds.");
  static constexpr std::uint32_t value = Milliseconds;
};

/// Channel option: only clients send on this channel (inputs, commands). `Server::send` of its
/// messages does not compile, and client events never hold them. Without a direction option a
/// channel carries messages both ways.
struct ClientToServer {};
/// Channel option: only the server sends on this channel (snapshots, announcements).
struct ServerToClient {};

namespace detail {
template <class T> struct IsDirection : std::bool_constant<std::is_same_v<T, ClientToServer> || std::is_same_v<T, ServerToClient>> {};
template <class T> struct IsMaxMessageBytes : std::false_type {};
template <std::size_t B> struct IsMaxMessageBytes<MaxMessageBytes<B>> : std::true_type {};
template <class T> struct IsPriority : std::false_type {};
template <int L> struct IsPriority<Priority<L>> : std::true_type {};
template <class T> struct IsMaxSendDelay : std::false_type {};
template <std::uint32_t M> struct IsMaxSendDelay<MaxSendDelay<M>> : std::true_type {};
template <class T>
struct IsChannelOption : std::bool_constant<IsMaxMessageBytes<T>::value || IsPriority<T>::value ||
                                             IsDirection<T>::value || IsMaxSendDelay<T>::value> {};
template <class T> struct IsChannelMessage : std::bool_constant<!IsChannelOption<T>::value> {};

/// The value of the first option in `List` matching `Pred`, else `fallback`.
template <class List, template <class> class Pred, auto fallback>
constexpr auto option_value() noexcept {
  using found = filter_t<List, Pred>;
  if constexpr (found::size == 0) {
    return fallback;
  } else {
    return element_t<found, 0>::value;
  }
}

/// Default limits: a reliable channel takes large messages (sent as fragmented blocks); an
/// unreliable channel takes what fits one packet unless `MaxMessageBytes<N>` raises it (larger
/// unreliable messages are fragmented and delivered all-or-nothing, never made reliable).
inline constexpr std::size_t default_reliable_message_bytes = 256 * 1024;
inline constexpr std::size_t default_unreliable_message_bytes = 1024;
}  // namespace detail

/// A named channel with one reliability mode, the message types it carries, and options
/// (`MaxMessageBytes<N>`, `Priority<P>`, `MaxSendDelay<ms>`, `ClientToServer` or `ServerToClient`) in any order
/// among them. A message's direction is its channel's.
template <FixedString Name, ReliabilityMode Mode, class... Items>
struct Channel {
  using mode = Mode;
  using items = detail::TypeList<Items...>;
  using messages = detail::filter_t<items, detail::IsChannelMessage>;
  static constexpr std::string_view name = Name.view();
  static constexpr std::size_t max_message_bytes = detail::option_value<
      items, detail::IsMaxMessageBytes,
      Mode::reliable ? detail::default_reliable_message_bytes
                     : detail::default_unreliable_message_bytes>();
  static constexpr int priority = detail::option_value<items, detail::IsPriority, 0>();
  /// MaxSendDelay's milliseconds; 0: no limit.
  static constexpr std::uint32_t max_send_delay_ms = detail::option_value<items, detail::IsMaxSendDelay, std::uint32_t{0}>();
  /// Who may send on the channel (both, unless a direction option says otherwise).
  static constexpr bool from_client = !detail::contains_v<items, ServerToClient>;
  static constexpr bool from_server = !detail::contains_v<items, ClientToServer>;

  static_assert(messages::size > 0, "A channel must carry at least one message type.");
  static_assert(detail::filter_t<items, detail::IsMaxMessageBytes>::size <= 1 &&
                    detail::filter_t<items, detail::IsPriority>::size <= 1 &&
                    detail::filter_t<items, detail::IsMaxSendDelay>::size <= 1,
                "A channel option (MaxMessageBytes, Priority, MaxSendDelay) is given twice.");
  static_assert(!Mode::reliable || max_send_delay_ms == 0,
                "MaxSendDelay is for unreliable channels: a reliable channel never drops what it accepted.");
  static_assert(detail::filter_t<items, detail::IsDirection>::size <= 1,
                "A channel names at most one direction (ClientToServer or ServerToClient); without one it carries "
                "messages both ways.");
};

/// A request type and the response the server answers it with.
template <class Req, class Resp = void>
struct Request {
  static_assert(!std::is_void_v<Resp>,
                "Every request needs its response: write courier::Request<Req, Resp>.");
  using request = Req;
  using response = Resp;
};

/// The message a client sends on every (re)connect; the server sees it in its Connected event.
template <class Msg>
struct ConnectMessage {
  using message = Msg;
};

/// Policy choices. A pack that names none of a kind gets the default of that kind.
template <class T> struct UseTransport { using type = T; };
template <class C> struct UseCrypto { using type = C; };
template <class S> struct UseSchema { using type = S; };

/// Enables the relay (virtual addresses and virtual sockets between clients, proxied by the
/// server; docs/PROTOCOL.md Part 4). `Book` is the AddressBook policy that keeps each client
/// id's virtual address: InMemoryAddressBook (the default) or SqliteAddressBook, which the
/// server is then constructed with. The book is not on the wire; the relay is.
template <class Book = void>
struct Relay {
  using book = Book;
};

/// An explicit netcode protocol id, replacing the schema hash.
template <std::uint64_t Id>
struct ProtocolId {
  static constexpr std::uint64_t value = Id;
};

}  // namespace courier
