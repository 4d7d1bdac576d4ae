#pragma once
/// \file
/// ChannelPack: the one declaration of a protocol. It lists the version, channels, request /
/// response pairs, an optional connect message and policy choices, and checks the pack's rules
/// at compile time, each with a plain-English message:
///  - every message type appears once in the whole pack;
///  - every request names its response (see Request);
///  - a message's worst-case encoding fits its channel's limit;
///  - every policy satisfies its concept.
/// It also computes the pack's `schema_hash` at compile time (see detail::schema_hash below),
/// which the client and server exchange to refuse a peer built from a different protocol.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "courier/channel/detail/payload_format.hpp"
#include "courier/channel/reliability_mode.hpp"
#include "courier/core/type_list.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/pack/elements.hpp"
#include "courier/pack/layout_hash.hpp"
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
template <class T> struct IsRelay : std::false_type {};
template <class B> struct IsRelay<Relay<B>> : std::true_type {};

template <class T>
struct IsPackItem
    : std::bool_constant<IsVersion<T>::value || IsChannel<T>::value || IsRequest<T>::value ||
                         IsConnectMessage<T>::value || IsUseTransport<T>::value ||
                         IsUseCrypto<T>::value || IsUseSchema<T>::value || IsProtocolId<T>::value ||
                         IsRelay<T>::value> {};
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

/// The schema's field check for message M (schema/detail/codec.hpp), for a schema on courier's
/// field model; a check that passes for any other schema.
template <class Schema, class M>
constexpr auto field_check() noexcept {
  if constexpr (FieldModelSchema<Schema>) {
    return std::type_identity<first_unsendable_t<Measurer<BitFormat, Mode::max>, M>>{};
  } else {
    return std::type_identity<MessageFieldIsSendable<void, 0, int>>{};
  }
}

/// Runs the schema's field check on every message when instantiated: a field the schema
/// refuses is reported first, naming the message and the field, before a pack rule or the
/// schema hash uses the message's size (which would add errors of their own).
template <class Schema, class List> struct FieldChecks {};
template <class Schema, class... Ms>
struct FieldChecks<Schema, TypeList<Ms...>> {
  static_assert(((sizeof(typename decltype(field_check<Schema, Ms>())::type) != 0) && ...),
                "Every message type is complete.");
};

// ---- the size rule ------------------------------------------------------------------------
//
// Each (message, channel) pair is named as a MessageFitsChannel with the message, the channel's
// name, the worst case and the limit as template arguments; only the first pair that breaks the
// rule is instantiated, so its static_assert fires with those values in the compiler's
// "in instantiation of" line, right above the sentence.

/// The size rule for one message on one channel.
template <class Message, FixedString ChannelName, std::size_t WorstCaseBytes, std::size_t MaxMessageBytes>
struct MessageFitsChannel {
  static_assert(WorstCaseBytes <= MaxMessageBytes,
                "A message's worst-case encoded size exceeds its channel's MaxMessageBytes (this "
                "check's template arguments are the message, the channel's name, the worst case "
                "and the limit): raise the channel's MaxMessageBytes<N>, bound the message's fields "
                "tighter, or move it to a reliable channel, which sends large messages as blocks.");
  static constexpr bool checked = true;
};

template <class T> struct IsOversized : std::false_type {};
template <class M, FixedString N, std::size_t W, std::size_t L>
struct IsOversized<MessageFitsChannel<M, N, W, L>> : std::bool_constant<(W > L)> {};

/// The MessageFitsChannel pairs of one channel (named, not instantiated).
template <class Schema, class Channel> struct ChannelSizeChecks;
template <class Schema, FixedString Name, class Mode, class... Items>
struct ChannelSizeChecks<Schema, Channel<Name, Mode, Items...>> {
  template <class M>
  struct Check {
    using type = MessageFitsChannel<M, Name, Schema::template max_bytes<M>,
                                    Channel<Name, Mode, Items...>::max_message_bytes>;
  };
  using type = transform_t<typename Channel<Name, Mode, Items...>::messages, Check>;
};

template <class Schema>
struct SizeChecksOf {
  template <class C> using Of = ChannelSizeChecks<Schema, C>;
};

template <class List, class Fallback> struct FirstOr { using type = Fallback; };
template <class Head, class... Ts, class Fallback>
struct FirstOr<TypeList<Head, Ts...>, Fallback> { using type = Head; };

/// The first (message, channel) pair of the pack that breaks the size rule, or a pair that
/// keeps it when there is none.
template <class Schema, class Channels>
using first_oversized_t = typename FirstOr<
    filter_t<typename Flatten<transform_t<Channels, SizeChecksOf<Schema>::template Of>>::type, IsOversized>,
    MessageFitsChannel<void, "", 0, 0>>::type;

// ---- the schema hash ----------------------------------------------------------------------
//
// Built as one token sequence fed to 64-bit FNV-1a: every string is preceded by its length and
// every list by its size, so the sequence reads back one way only and two packs that differ in
// what it records collide only by chance (about 1 in 2^64). The hash catches mistakes; it is
// no defence against a peer that lies, and needs none: the connect token and crypto are that.
//
// What it records, in order:
//  1. the payload format version (the channel layer's framing) and the Version string;
//  2. the schema policy's type name (`courier::BitPacked`, `courier::ByteAligned`);
//  3. the number of channels, then each channel's name, reliability mode, MaxMessageBytes and
//     its messages (count, then each message);
//  4. the number of request pairs, then each request and its response;
//  5. whether there is a ConnectMessage, and if so that message (it follows the hash in the
//     client's hello, so it is part of the wire too).
// Each message contributes its layout hash (pack/layout_hash.hpp: every field's type and bounds,
// recursively, in wire order) and its worst-case size under the schema (redundant with the
// layout for the shipped schemas; the typed layer sizes its connection channels from it). A
// message's position is its id on the wire, so moving a message to another channel or place
// changes the hash.
//
// What it deliberately leaves out, because it does not change what either side puts on or
// accepts from the wire:
//  - message type names and field names. Ids are positions, not names; renaming a struct or a
//    field, or moving it to another namespace, is a refactor, not a protocol change. Type names
//    would also tie the hash to the compiler: g++ spells `{anonymous}::Chat` and
//    `std::__cxx11::basic_string<char>` where clang spells `(anonymous namespace)::Chat` and
//    `std::basic_string<char>`, so a g++ server would refuse a clang client of the same pack.
//    The cost: two messages with identical layouts that swap places, or a field whose meaning
//    changes without its type, go unnoticed; change the Version string for such changes.
//  - channel priority: it only orders what a sender packs first; the receiver never sees it.
//  - the transport and crypto policies (WithTransport and WithCrypto keep the hash); the crypto
//    still has to match for packets to open, and fails on its own if it does not.
// For a schema policy that is not built on courier's field model (no detail::Codec base), the
// layout cannot be seen; such a message contributes its spelled type name instead, with the
// compiler dependence above.

/// Chains the length of `text`, then its bytes.
constexpr std::uint64_t hash_text(std::string_view text, std::uint64_t h) noexcept {
  return fnv1a(text, fnv1a(static_cast<std::uint64_t>(text.size()), h));
}

template <class Schema, class Msg>
constexpr std::uint64_t hash_message(std::uint64_t h) noexcept {
  h = fnv1a(message_shape_hash<Schema, Msg>(), h);
  return fnv1a(static_cast<std::uint64_t>(Schema::template max_bytes<Msg>), h);
}

template <class Schema, class Channel>
constexpr std::uint64_t hash_channel(std::uint64_t h) noexcept {
  h = hash_text(Channel::name, h);
  h = hash_text(std::string_view(Channel::mode::name), h);
  h = fnv1a(static_cast<std::uint64_t>(Channel::max_message_bytes), h);
  h = fnv1a(static_cast<std::uint64_t>(Channel::messages::size), h);
  for_each_type(typename Channel::messages{},
                [&]<class M, std::size_t>() { h = hash_message<Schema, M>(h); });
  // A one-way channel changes what each side accepts; a two-way one keeps the hash it had
  // before directions existed.
  if (!Channel::from_client) h = hash_text("server->client", h);
  if (!Channel::from_server) h = hash_text("client->server", h);
  return h;
}

/// Version of the typed layer's framing (the channel table, control frames, request-id prefix
/// of docs/PROTOCOL.md Part 3): bump it with any change there, so old and new peers refuse each
/// other instead of misreading.
inline constexpr std::uint32_t typed_format_version = 1;
/// Version of the relay frames (docs/PROTOCOL.md Part 4), hashed when the pack has a Relay.
inline constexpr std::uint32_t relay_format_version = 1;

/// The schema hash of a pack (see the comment above for what it covers and why).
/// `Connect` is the list of the pack's ConnectMessage items (empty or one).
template <class Schema, class Version, class Channels, class Requests, class Connect, bool HasRelay = false>
constexpr std::uint64_t schema_hash() noexcept {
  std::uint64_t h = hash_text(Version::text, fnv1a(std::string_view{}));
  h = fnv1a(std::uint64_t{payload_format_version}, h);
  h = fnv1a(std::uint64_t{typed_format_version}, h);
  h = hash_text(type_name<Schema>(), h);
  h = fnv1a(static_cast<std::uint64_t>(Channels::size), h);
  for_each_type(Channels{}, [&]<class C, std::size_t>() { h = hash_channel<Schema, C>(h); });
  h = fnv1a(static_cast<std::uint64_t>(Requests::size), h);
  for_each_type(Requests{}, [&]<class R, std::size_t>() {
    h = hash_message<Schema, typename R::response>(hash_message<Schema, typename R::request>(h));
  });
  h = fnv1a(static_cast<std::uint64_t>(Connect::size), h);
  for_each_type(Connect{}, [&]<class C, std::size_t>() { h = hash_message<Schema, typename C::message>(h); });
  // The relay adds a channel (docs/PROTOCOL.md Part 4); a pack without one keeps its old hash.
  if (HasRelay) h = hash_text("relay", fnv1a(std::uint64_t{relay_format_version}, h));
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
                "UseCrypto, UseSchema, ProtocolId and Relay.");
  static_assert(detail::filter_t<items, detail::IsVersion>::size == 1,
                "A ChannelPack names exactly one Version<\"...\">.");
  static_assert(channels::size + requests::size + detail::filter_t<items, detail::IsRelay>::size > 0,
                "A ChannelPack needs a channel, a request or a Relay.");
  static_assert(detail::is_unique_v<all_messages>,
                "A message type is listed twice in the pack: each message belongs to exactly one "
                "channel or request.");
  static_assert(Transport<transport>, "The pack's transport policy does not satisfy courier::Transport.");
  static_assert(Crypto<crypto>, "The pack's crypto policy does not satisfy courier::Crypto.");
  static_assert(Schema<schema>, "The pack's schema policy does not satisfy courier::Schema.");
  static_assert(sizeof(detail::FieldChecks<schema, all_messages>) != 0,
                "The pack's schema accepts every field of every message.");
  // On failure the sentence comes from MessageFitsChannel, whose arguments name the culprit.
  static_assert(detail::first_oversized_t<schema, channels>::checked,
                "A message's worst-case encoded size exceeds its channel's MaxMessageBytes.");
  static_assert(detail::filter_t<items, detail::IsConnectMessage>::size <= 1,
                "A ChannelPack names at most one ConnectMessage.");
  static_assert(detail::filter_t<items, detail::IsRelay>::size <= 1, "A ChannelPack names at most one Relay.");

  using version = detail::element_t<detail::filter_t<items, detail::IsVersion>, 0>;
  /// True when the pack enables the relay (Relay<Book>).
  static constexpr bool has_relay = detail::filter_t<items, detail::IsRelay>::size == 1;

  /// 64-bit hash of everything that shapes the wire format, computed at compile time: the
  /// payload format version, the version string, the schema policy, every channel's name, mode,
  /// limit and messages, every request pair and the connect message, each message by its field
  /// layout (types and bounds in wire order) and worst-case size. Not type or field names, not
  /// priorities, not the transport or crypto. Details in detail::schema_hash's comment.
  static constexpr std::uint64_t schema_hash = detail::schema_hash<
      schema, version, channels, requests, detail::filter_t<items, detail::IsConnectMessage>, has_relay>();

  /// The netcode protocol id: an explicit ProtocolId<...> if the pack names one, else the hash.
  static constexpr std::uint64_t protocol_id =
      detail::option_value<items, detail::IsProtocolId, schema_hash>();
};

}  // namespace courier
