#pragma once
/// \file
/// Unreachable peers: a transport with connections (WebSocket) knows when the connection to a
/// peer failed or closed, which a datagram socket never does. Such a transport offers
/// `take_unreachable()`; the netcode client then tries the next server of its token at once,
/// and the netcode server frees the peer's slot at once, instead of both waiting for the
/// token's timeout. Transports without it (Udp, Loopback) cost nothing: the helper below is
/// `nullopt` for them at compile time.
///
/// | expression             | type                     | meaning                                        |
/// |------------------------|--------------------------|------------------------------------------------|
/// | `t.take_unreachable()` | `std::optional<Address>` | the next peer whose connection failed or ended since the last call, once each |

#include <concepts>
#include <optional>

#include "courier/transport/address.hpp"

namespace courier {

template <class T>
concept ReportsUnreachable = requires(T& t) {
  { t.take_unreachable() } noexcept -> std::same_as<std::optional<Address>>;
};

/// The next unreachable peer `t` reports, or nullopt (always, for transports that cannot tell).
template <class T>
[[nodiscard]] std::optional<Address> take_unreachable(T& t) noexcept {
  if constexpr (ReportsUnreachable<T>) return t.take_unreachable();
  else return std::nullopt;
}

}  // namespace courier
