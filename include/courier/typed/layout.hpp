#pragma once
/// \file
/// PackLayout: how a ChannelPack maps onto a Connection (docs/PROTOCOL.md Part 3).
///
/// Channels of the connection, in order: the pack's channels (message id = position of the
/// type in its channel), then the request channel (reliable-ordered; request pair i uses ids
/// 2i for the request and 2i+1 for its response; 2R acks and 2R+1 rejects a request), the
/// control channel (reliable-ordered, served first: hellos, close reasons), and the token
/// channel (reliable-ordered: the server's 2048-byte reconnect tokens, as blocks).
/// Each connection channel is sized from the worst-case encodings the schema computes, so a
/// pack of small messages costs no block buffers at all. Any change to this framing bumps
/// `typed_format_version` (pack/channel_pack.hpp), which the schema hash covers.

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

#include "courier/channel/connection_config.hpp"
#include "courier/core/little_endian.hpp"
#include "courier/core/type_list.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/pack/channel_pack.hpp"
#include "courier/relay/frames.hpp"

namespace courier::detail {

/// Bytes in front of a request, response, ack or reject body: the request id (u32 LE).
inline constexpr std::size_t request_id_bytes = 4;

/// Control frame ids on the control channel (reconnect tokens travel on the token channel,
/// id 0, so a close frame never waits behind a 2 KiB token still in flight).
enum class ControlFrame : std::uint32_t {
  client_hello = 0,     ///< u64 schema hash, then the connect message (if the pack has one)
  server_hello = 1,     ///< u64 schema hash, u32 slot, u32 max clients
  close = 2,            ///< u16 CloseReason
};
inline constexpr std::uint32_t control_frame_count = 3;
inline constexpr std::size_t control_hello_bytes = 8 + 4 + 4;
inline constexpr std::size_t reconnect_frame_bytes = netcode::connect_token_bytes;

template <class List> struct RelayBookOf { using type = void; };
template <class R> struct RelayBookOf<TypeList<R>> { using type = typename R::book; };

template <class Pack>
struct PackLayout {
  using schema = typename Pack::schema;
  using channels = typename Pack::channels;
  using requests = typename Pack::requests;
  using connect_list = filter_t<typename Pack::items, IsConnectMessage>;
  static constexpr bool has_connect_message = connect_list::size == 1;

  static constexpr std::size_t user_channels = channels::size;
  static constexpr std::size_t request_channel = user_channels;
  static constexpr std::size_t control_channel = user_channels + 1;
  static constexpr std::size_t token_channel = user_channels + 2;
  /// Present when the pack has a Relay (docs/PROTOCOL.md Part 4).
  static constexpr bool has_relay = Pack::has_relay;
  static constexpr std::size_t relay_channel = user_channels + 3;
  /// The Relay's AddressBook policy (void: the default, InMemoryAddressBook).
  using relay_book = typename RelayBookOf<filter_t<typename Pack::items, IsRelay>>::type;
  static constexpr std::size_t request_pairs = requests::size;

  /// Worst-case encoded size of the largest message of a type list (1 for an empty list).
  template <class List>
  static constexpr std::size_t largest() noexcept {
    std::size_t n = 1;
    for_each_type(List{}, [&]<class M, std::size_t>() { n = std::max(n, schema::template max_bytes<M>); });
    return n;
  }

  template <class C> struct Messages { using type = typename C::messages; };

  static constexpr std::size_t largest_request_body = largest<typename Pack::request_messages>();
  static constexpr std::size_t connect_message_bytes = [] {
    if constexpr (has_connect_message) return schema::template max_bytes<typename element_t<connect_list, 0>::message>;
    else return std::size_t{0};
  }();
  static constexpr std::size_t largest_control = std::max(control_hello_bytes, 8 + connect_message_bytes);
  /// The largest encoding any frame of the pack can need: sizes the encode scratch buffer.
  static constexpr std::size_t largest_frame = std::max(
      {largest<typename Pack::all_messages>(), request_id_bytes + largest_request_body, largest_control,
       reconnect_frame_bytes});

  // ---- where each type goes -------------------------------------------------------------

  template <class C, class T>
  static constexpr bool channel_has = contains_v<typename C::messages, T>;

  /// The index of the pack channel carrying T (user_channels when none does).
  template <class T>
  static constexpr std::size_t channel_of = [] {
    std::size_t found = user_channels;
    for_each_type(channels{}, [&]<class C, std::size_t I>() {
      if (channel_has<C, T>) found = I;
    });
    return found;
  }();
  template <class T> static constexpr bool is_channel_message = channel_of<T> < user_channels;

  template <class C> struct FromClient : std::bool_constant<C::from_client> {};
  template <class C> struct FromServer : std::bool_constant<C::from_server> {};
  template <class Cs> struct MessagesOfAll;
  template <class... Cs> struct MessagesOfAll<TypeList<Cs...>> { using type = concat_t<typename Cs::messages...>; };
  /// The messages each side may send (its channels' direction allows it).
  using client_messages = typename MessagesOfAll<filter_t<channels, FromClient>>::type;
  using server_messages = typename MessagesOfAll<filter_t<channels, FromServer>>::type;
  template <class T> static constexpr bool client_sends = contains_v<client_messages, T>;
  template <class T> static constexpr bool server_sends = contains_v<server_messages, T>;
  /// Whether pack channel `ch` carries messages from a client (server side) or from the server.
  static constexpr bool channel_from_client(std::size_t ch) noexcept {
    bool from = false;
    for_each_type(channels{}, [&]<class C, std::size_t I>() { from = I == ch ? C::from_client : from; });
    return from;
  }
  static constexpr bool channel_from_server(std::size_t ch) noexcept {
    bool from = false;
    for_each_type(channels{}, [&]<class C, std::size_t I>() { from = I == ch ? C::from_server : from; });
    return from;
  }

  template <class T>
  static constexpr std::uint32_t message_id = [] {
    std::uint32_t id = 0;
    for_each_type(channels{}, [&]<class C, std::size_t>() {
      if constexpr (channel_has<C, T>) id = static_cast<std::uint32_t>(index_of_v<typename C::messages, T>);
    });
    return id;
  }();

  template <class R> struct RequestOf { using type = typename R::request; };
  template <class R> struct ResponseOf { using type = typename R::response; };
  using request_types = transform_t<requests, RequestOf>;
  using response_types = transform_t<requests, ResponseOf>;

  template <class T> static constexpr bool is_request = contains_v<request_types, T>;
  template <class T> static constexpr bool is_response = contains_v<response_types, T>;
  /// The request pair index of a request or response type.
  template <class T>
  static constexpr std::uint32_t pair_of = [] {
    if constexpr (is_request<T>) return static_cast<std::uint32_t>(index_of_v<request_types, T>);
    else return static_cast<std::uint32_t>(index_of_v<response_types, T>);
  }();
  template <class Req> using response_for = element_t<response_types, index_of_v<request_types, Req>>;

  static constexpr std::uint32_t ack_id = 2 * static_cast<std::uint32_t>(request_pairs);
  static constexpr std::uint32_t reject_id = ack_id + 1;

  // ---- the connection's configuration ---------------------------------------------------

  /// Sizes one connection channel for messages of at most `largest` bytes.
  static ChannelConfig sized(ChannelMode mode, std::size_t largest, std::size_t queue) {
    ChannelConfig c;
    c.mode = mode;
    c.max_inline_bytes = std::min(largest, block_fragment_bytes);
    c.max_message_bytes = largest;
    c.send_queue_capacity = queue;
    c.receive_queue_capacity = queue;
    return c;
  }

  /// The connection of a typed Client or Server, from its config (ClientConfig / ServerConfig:
  /// queue_capacity, status_capacity, max_messages_in_flight, ack_delay, rate).
  template <class TypedConfig>
  static ConnectionConfig connection_config(const TypedConfig& typed) {
    const std::size_t queue = typed.queue_capacity;
    ConnectionConfig config;
    config.status_capacity = typed.status_capacity;
    config.max_messages_in_flight = typed.max_messages_in_flight;
    config.endpoint.max_ack_delay = typed.ack_delay;
    config.rate = typed.rate;
    config.channels.clear();
    for_each_type(channels{}, [&]<class C, std::size_t>() {
      ChannelConfig c = sized(channel_mode_v<typename C::mode>, largest<typename C::messages>(), queue);
      c.priority = static_cast<std::uint8_t>(std::clamp(C::priority + 128, 0, 254));
      c.max_send_delay = std::chrono::milliseconds(C::max_send_delay_ms);
      c.message_id_count = static_cast<std::uint32_t>(C::messages::size);
      config.channels.push_back(c);
    });
    ChannelConfig req = sized(ChannelMode::reliable_ordered, request_id_bytes + largest_request_body, queue);
    req.priority = 128;
    req.message_id_count = reject_id + 1;
    config.channels.push_back(req);
    ChannelConfig control = sized(ChannelMode::reliable_ordered, largest_control, 8);
    control.priority = 255;
    control.message_id_count = control_frame_count;
    config.channels.push_back(control);
    ChannelConfig tokens = sized(ChannelMode::reliable_ordered, reconnect_frame_bytes, 4);
    tokens.message_id_count = 1;
    config.channels.push_back(tokens);
    if constexpr (has_relay) {
      ChannelConfig relay = sized(ChannelMode::reliable_ordered, relay_max_frame_bytes, queue);
      relay.priority = 128;
      relay.message_id_count = relay_frame_count;
      config.channels.push_back(relay);
    }
    return config;
  }
};

}  // namespace courier::detail
