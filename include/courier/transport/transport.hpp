#pragma once
/// \file
/// The `Transport` policy concept: a non-blocking datagram socket.
///
/// | expression            | type              | meaning                                             |
/// |-----------------------|-------------------|-----------------------------------------------------|
/// | `t.send(to, bytes)`   | `std::error_code` | sends, or queues for the next `flush`; an error for a datagram above `max_datagram_bytes`, a bad destination, or a failed system call |
/// | `t.flush()`           | `void`            | pushes queued datagrams out (one `sendmmsg` for Udp) |
/// | `t.receive(slots)`    | `std::size_t`     | fills up to `slots.size()` datagrams that have arrived, returns how many; never blocks |
/// | `t.update(now)`       | `void`            | advances time-driven behaviour (Simulated releases delayed datagrams) |
/// | `t.local_address()`   | `Address`         | the bound address (the real port when bound to port 0) |
///
/// Every operation is `noexcept`: the wire path never throws. Transports are move-only
/// objects; setup errors (bad or busy address) are reported by their constructors or factories.
/// Shipped: Udp, Loopback, Simulated<Inner>.

#include <concepts>
#include <cstddef>
#include <span>
#include <system_error>

#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"

namespace courier {

template <class T>
concept Transport = std::movable<T> &&
    requires(T& t, const T& ct, const Address& to, std::span<const std::byte> bytes,
             std::span<Datagram> slots, TimePoint now) {
  { t.send(to, bytes) } noexcept -> std::same_as<std::error_code>;
  { t.flush() } noexcept;
  { t.receive(slots) } noexcept -> std::same_as<std::size_t>;
  { t.update(now) } noexcept;
  { ct.local_address() } noexcept -> std::same_as<Address>;
};

}  // namespace courier
