#pragma once
/// \file
/// ClientHandle: how a server names one of its clients, in every layer that needs to (the typed
/// server, the relay).

#include <cstdint>

namespace courier {

/// A connected client as the server sees it: a slot and the connection's generation on that
/// slot, so a handle kept after its client left never reaches the next client of the slot.
struct ClientHandle {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  ///< 0: never valid

  [[nodiscard]] constexpr bool valid() const noexcept { return generation != 0; }
  friend constexpr bool operator==(const ClientHandle&, const ClientHandle&) = default;
};

}  // namespace courier
