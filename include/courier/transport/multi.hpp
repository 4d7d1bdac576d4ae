#pragma once
/// \file
/// Multi<Parts...>: several transports as one, so that one netcode server (and one
/// Server<Pack>, one slot table, the same connect tokens) serves peers of every part at once,
/// e.g. `Multi<Udp, WebSocketServer>` for UDP and WebSocket clients. Peers are told apart by
/// their address's link kind (transport/address.hpp), which each part stamps on what it
/// receives: `send` goes to the first part that carries the destination's link; `receive`
/// drains every part, starting with a different one each call so none can starve the others.
///
/// A part says which links it carries with `bool carries(Address::Link) const`; a part without
/// it carries datagram links only (Udp, Loopback, Simulated). `local_address()` is the first
/// part's; `get<I>()` reaches a part (e.g. the WebSocket listener's port). Multi reports
/// unreachable peers when any part does (transport/unreachable.hpp), and waits for input on
/// all its parts at once (transport/wait.hpp).

#include <concepts>
#include <cstddef>
#include <optional>
#include <span>
#include <system_error>
#include <tuple>
#include <utility>

#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/transport.hpp"
#include "courier/transport/unreachable.hpp"
#include "courier/transport/wait.hpp"

namespace courier {

/// True when transport `t` sends to addresses of `link` (datagram only, unless it says).
template <class T>
[[nodiscard]] bool carries(const T& t, Address::Link link) noexcept {
  if constexpr (requires { { t.carries(link) } noexcept -> std::same_as<bool>; }) return t.carries(link);
  else return link == Address::Link::datagram;
}

template <Transport... Parts>
  requires(sizeof...(Parts) >= 1)
class Multi {
  static constexpr std::size_t count = sizeof...(Parts);

 public:
  explicit Multi(Parts... parts) : parts_(std::move(parts)...) {}

  /// Sends through the first part that carries `to`'s link. Errors: the part's, or
  /// invalid_address when no part carries that link.
  [[nodiscard]] std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    std::error_code ec = Error::invalid_address;
    bool sent = false;
    for_each([&](auto& part) {
      if (sent || !carries(part, to.link())) return;
      ec = part.send(to, bytes);
      sent = true;
    });
    return ec;
  }

  void flush() noexcept {
    for_each([](auto& part) { part.flush(); });
  }

  void update(TimePoint now) noexcept {
    for_each([now](auto& part) { part.update(now); });
  }

  /// Fills `slots` from every part in turn, the first part rotating from call to call.
  [[nodiscard]] std::size_t receive(std::span<Datagram> slots) noexcept {
    std::size_t n = 0;
    for (std::size_t k = 0; k < count && n < slots.size(); ++k)
      visit((first_ + k) % count, [&](auto& part) { n += part.receive(slots.subspan(n)); });
    first_ = (first_ + 1) % count;
    return n;
  }

  /// Waits for input on every part at once when each can be waited for (Pollable parts by
  /// their descriptors, at most one part that WaitsForInput itself); else sleeps `max_wait`.
  [[nodiscard]] bool wait_for_input(Duration max_wait, std::span<const int> other_fds = {}) noexcept {
    return std::apply([&](auto&... part) { return wait_for_input_with(max_wait, other_fds, part...); }, parts_);
  }

  /// The next unreachable peer any part reports.
  [[nodiscard]] std::optional<Address> take_unreachable() noexcept
    requires(ReportsUnreachable<Parts> || ...)
  {
    std::optional<Address> out;
    for_each([&](auto& part) {
      if (!out) out = courier::take_unreachable(part);
    });
    return out;
  }

  /// The first part's address (the one a netcode server defaults its public address to).
  [[nodiscard]] Address local_address() const noexcept { return std::get<0>(parts_).local_address(); }

  template <std::size_t I>
  [[nodiscard]] auto& get() noexcept {
    return std::get<I>(parts_);
  }
  template <std::size_t I>
  [[nodiscard]] const auto& get() const noexcept {
    return std::get<I>(parts_);
  }

 private:
  template <class F>
  void for_each(F&& f) noexcept {
    std::apply([&](auto&... part) { (f(part), ...); }, parts_);
  }

  template <class F>
  void visit(std::size_t i, F&& f) noexcept {
    visit_at(i, f, std::make_index_sequence<count>{});
  }
  template <class F, std::size_t... Is>
  void visit_at(std::size_t i, F& f, std::index_sequence<Is...>) noexcept {
    ((i == Is ? f(std::get<Is>(parts_)) : void()), ...);
  }

  std::tuple<Parts...> parts_;
  std::size_t first_ = 0;
};

}  // namespace courier
