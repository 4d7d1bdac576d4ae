#pragma once
/// \file
/// `courier::ChannelPack`: the protocol declaration with courier's default policies (Udp,
/// Netcode102, BitPacked), and `WithTransport` / `WithCrypto` / `WithSchema` to swap one policy
/// of an existing pack, e.g. `WithTransport<Game, Simulated<Loopback>>` in tests.
///
/// ```cpp
/// using Game = courier::ChannelPack<
///     courier::Version<"my-game 1.4">,
///     courier::Channel<"chat",  courier::ReliableOrdered,     Chat>,
///     courier::Channel<"input", courier::UnreliableSequenced, Move>,
///     courier::Request<Login, Welcome>,
///     courier::ConnectMessage<Login>>;
/// ```

#include "courier/crypto/netcode102.hpp"
#include "courier/pack/channel_pack.hpp"
#include "courier/schema/bit_packed.hpp"
#include "courier/transport/udp.hpp"

namespace courier {

namespace detail {

struct DefaultPolicies {
  using transport = Udp;
  using crypto = Netcode102;
  using schema = BitPacked;
};

/// Replaces the `Use*` item matching `IsUse` in a pack by `Replacement` (appending it if absent).
template <class Pack, template <class> class IsUse, class Replacement>
struct ReplacePolicy;

template <class Defaults, class... Items, template <class> class IsUse, class Replacement>
struct ReplacePolicy<BasicChannelPack<Defaults, Items...>, IsUse, Replacement> {
  template <class T>
  struct Keep : std::bool_constant<!IsUse<T>::value> {};
  template <class List>
  struct Rebuild;
  template <class... Kept>
  struct Rebuild<TypeList<Kept...>> {
    using type = BasicChannelPack<Defaults, Kept..., Replacement>;
  };
  using type = typename Rebuild<filter_t<TypeList<Items...>, Keep>>::type;
};

}  // namespace detail

/// A protocol declaration with courier's default policies; see pack/channel_pack.hpp.
template <class... Items>
using ChannelPack = BasicChannelPack<detail::DefaultPolicies, Items...>;

/// `Pack` with its transport replaced by `T`; the schema hash (and so the protocol id) is unchanged.
template <class Pack, class T>
using WithTransport = typename detail::ReplacePolicy<Pack, detail::IsUseTransport, UseTransport<T>>::type;

/// `Pack` with its crypto policy replaced by `C`.
template <class Pack, class C>
using WithCrypto = typename detail::ReplacePolicy<Pack, detail::IsUseCrypto, UseCrypto<C>>::type;

/// `Pack` with its schema replaced by `S`. The schema hash changes (it covers the schema policy).
template <class Pack, class S>
using WithSchema = typename detail::ReplacePolicy<Pack, detail::IsUseSchema, UseSchema<S>>::type;

}  // namespace courier
