#pragma once
/// \file
/// ChannelPack: the one declaration of a protocol. It lists the version, channels, request /
/// response pairs, an optional connect message and policy choices, and checks the pack's rules
/// at compile time, each with a plain-English message:
///  - every message type appears once in the whole pack;
///  - every request names its response (see Request);
///  - a message's worst-case encoding fits its channel's limit;
///  - every policy satisfies its concept.

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "courier/channel/detail/payload_format.hpp"
#include "courier/channel/reliability_mode.hpp"
#include "courier/core/type_list.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/pack/elements.hpp"
#include "courier/pack/type_name.hpp"
#include "courier/schema/schema.hpp"
#include "courier/transport/transport.hpp"

namespace courier {

namespace detail {

template <class T> struct IsVersion : std::false_type {};
template <FixedString S> struct IsVersion<Version<S>> : std::true_type {};
template <class T> struct IsChannel : std::false_type {};
template <FixedString N, class M, class... I> struct IsChannel<Channel<N, M, I...>> : std::true_type {};
template <class T> struct IsRequest : std::false_type {};
template <class Q, class R> struct IsRequest<Request<Q, R>> : std::true_type {};
template <class T> struct IsConnectMessage : std::false_type {};
template <class M> struct IsConnectMessage<ConnectMessage<M>> : std::true_type {};
template <class T> struct IsUseTransport : std::false_type {};
template <class T> struct IsUseTransport<UseTransport<T>> : std::true_type {};
template <class T> struct IsUseCrypto : std::false_type {};
template <class T> struct IsUseCrypto<UseCrypto<T>> : std::true_type {};
template <class T> struct IsUseSchema : std::false_type {};
template <class T> struct IsUseSchema<UseSchema<T>> : std::true_type {};
template <class T> struct IsProtocolId : std::false_type {};
template <std::uint64_t I> struct IsProtocolId<ProtocolId<I>> : std::true_type {};

template <class T>
struct IsPackItem
    : std::bool_constant<IsVersion<T>::value || IsChannel<T>::value || IsRequest<T>::value ||
                         IsConnectMessage<T>::value || IsUseTransport<T>::value ||
                         IsUseCrypto<T>::value || IsUseSchema<T>::value || IsProtocolId<T>::value> {};
template <class T> struct IsNotPackItem : std::bool_constant<!IsPackItem<T>::value> {};

template <class Found, class Default>
struct FirstPolicyOr {
  using type = Default;
};
template <class Use, class... Rest, class Default>
struct FirstPolicyOr<TypeList<Use, Rest...>, Default> {
  using type = typename Use::type;
};

/// The `type` of the one `Use*<T>` in `List`, or `Default` when the pack names none.
template <class List, template <class> class Pred, class Default>
struct PolicyOr {
  using found = filter_t<List, Pred>;
  static_assert(found::size <= 1, "The pack names the same kind of policy twice.");
  using type = typename FirstPolicyOr<found, Default>::type;
};

template <class C> struct MessagesOf { using type = typename C::messages; };
template <class R> struct RequestTypes { using type = TypeList<typename R::request, typename R::response>; };

template <class List> struct Flatten;
template <class... Lists> struct Flatten<TypeList<Lists...>> { using type = concat_t<Lists...>; };

template <class Schema, class Channel>
constexpr bool channel_messages_fit() noexcept {
  bool fits = true;
  for_each_type(typename Channel::messages{}, [&]<class M, std::size_t>() {
    fits = fits && Schema::template max_bytes<M> <= Channel::max_message_bytes;
  });
  return fits;
}

template <class Schema, class... Channels>
constexpr bool all_messages_fit(TypeList<Channels...>) noexcept {
  return (channel_messages_fit<Schema, Channels>() && ...);
}

template <class Schema, class Msg>
constexpr std::uint64_t hash_message(std::uint64_t h) noexcept {
  h = fnv1a(type_name<Msg>(), h);
  return fnv1a(static_cast<std::uint64_t>(Schema::template max_bytes<Msg>), h);
}

template <class Schema, class Channel>
constexpr std::uint64_t hash_channel(std::uint64_t h) noexcept {
  h = fnv1a(Channel::name, h);
  h = fnv1a(std::string_view(Channel::mode::name), h);
  h = fnv1a(static_cast<std::uint64_t>(Channel::max_message_bytes), h);
  for_each_type(typename Channel::messages{},
                [&]<class M, std::size_t>() { h = hash_message<Schema, M>(h); });
  return h;
}

/// The schema hash: the payload format version, the version string, the schema policy, then
/// every channel (name, mode, limit, messages) and every request pair, in declaration order.
/// Any change to what is on the wire changes it.
template <class Schema, class Version, class Channels, class Requests>
constexpr std::uint64_t schema_hash() noexcept {
  std::uint64_t h = fnv1a(std::uint64_t{payload_format_version}, fnv1a(Version::text));
  h = fnv1a(type_name<Schema>(), h);
  for_each_type(Channels{}, [&]<class C, std::size_t>() { h = hash_channel<Schema, C>(h); });
  for_each_type(Requests{}, [&]<class R, std::size_t>() {
    h = hash_message<Schema, typename R::response>(hash_message<Schema, typename R::request>(h));
  });
  return h;
}

}  // namespace detail

/// The protocol declaration. `Defaults` supplies the policy a pack does not name; the public
/// alias `courier::ChannelPack` (pack.hpp) fills it with Udp, Netcode102 and BitPacked.
template <class Defaults, class... Items>
struct BasicChannelPack {
  using items = detail::TypeList<Items...>;
  using channels = detail::filter_t<items, detail::IsChannel>;
  using requests = detail::filter_t<items, detail::IsRequest>;
  using channel_messages = typename detail::Flatten<detail::transform_t<channels, detail::MessagesOf>>::type;
  using request_messages = typename detail::Flatten<detail::transform_t<requests, detail::RequestTypes>>::type;
  using all_messages = detail::concat_t<channel_messages, request_messages>;

  using transport = typename detail::PolicyOr<items, detail::IsUseTransport, typename Defaults::transport>::type;
  using crypto = typename detail::PolicyOr<items, detail::IsUseCrypto, typename Defaults::crypto>::type;
  using schema = typename detail::PolicyOr<items, detail::IsUseSchema, typename Defaults::schema>::type;

  static_assert(detail::filter_t<items, detail::IsNotPackItem>::size == 0,
                "A ChannelPack lists only Version, Channel, Request, ConnectMessage, UseTransport, "
                "UseCrypto, UseSchema and ProtocolId.");
  static_assert(detail::filter_t<items, detail::IsVersion>::size == 1,
                "A ChannelPack names exactly one Version<\"...\">.");
  static_assert(channels::size + requests::size > 0, "A ChannelPack needs a channel or a request.");
  static_assert(detail::is_unique_v<all_messages>,
                "A message type is listed twice in the pack: each message belongs to exactly one "
                "channel or request.");
  static_assert(Transport<transport>, "The pack's transport policy does not satisfy courier::Transport.");
  static_assert(Crypto<crypto>, "The pack's crypto policy does not satisfy courier::Crypto.");
  static_assert(Schema<schema>, "The pack's schema policy does not satisfy courier::Schema.");
  static_assert(detail::all_messages_fit<schema>(channels{}),
                "A message's worst-case encoded size exceeds its channel's MaxMessageBytes.");
  static_assert(detail::filter_t<items, detail::IsConnectMessage>::size <= 1,
                "A ChannelPack names at most one ConnectMessage.");

  using version = detail::element_t<detail::filter_t<items, detail::IsVersion>, 0>;

  /// 64-bit hash of everything that shapes the wire format, computed at compile time.
  static constexpr std::uint64_t schema_hash =
      detail::schema_hash<schema, version, channels, requests>();

  /// The netcode protocol id: an explicit ProtocolId<...> if the pack names one, else the hash.
  static constexpr std::uint64_t protocol_id =
      detail::option_value<items, detail::IsProtocolId, schema_hash>();
};

}  // namespace courier
