#pragma once
/// \file
/// ClientSlots: the server's connected clients. Fixed storage for `max_clients` slots, O(1)
/// lookup by address and by client id (open-addressing tables that grow with the clients, up
/// to their size for `max_clients`), O(1) slot allocation.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "courier/core/config.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/fixed_hash_map.hpp"
#include "courier/netcode/replay_protection.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode {

/// One connected client.
struct ClientSlot {
  bool connected = false;
  bool local = false;                ///< taken by an in-process (host-mode) client: no packets
  bool confirmed = false;            ///< the client has sent a keep-alive or payload since connecting
  std::uint64_t client_id = 0;
  std::uint64_t connection = 0;      ///< unique per connection (stale queued payloads are skipped)
  Address address;
  UserData user_data{};
  Key send_key{};                    ///< server to client
  Key receive_key{};                 ///< client to server
  std::uint64_t sequence = 0;        ///< per-client packet sequence, from 0
  TimePoint last_send{};
  TimePoint last_receive{};
  Duration timeout{};
  bool has_timeout = false;          ///< token timeout > 0
  ReplayProtection<> replay;
};

/// The slot table.
class ClientSlots {
 public:
  explicit ClientSlots(std::size_t max_clients)
      : slots_(max_clients), free_(max_clients), by_address_(max_clients), by_id_(max_clients) {
    reset_free_list();
  }

  [[nodiscard]] std::size_t capacity() const noexcept { return slots_.size(); }
  [[nodiscard]] std::size_t connected() const noexcept { return slots_.size() - free_.size(); }
  [[nodiscard]] bool full() const noexcept { return free_.empty(); }

  [[nodiscard]] ClientSlot& operator[](std::size_t i) noexcept { return slots_[i]; }
  [[nodiscard]] const ClientSlot& operator[](std::size_t i) const noexcept { return slots_[i]; }

  /// The index of the client at `address`, or -1.
  [[nodiscard]] std::int64_t find_address(const Address& address) const noexcept {
    const std::uint32_t* i = by_address_.find(address);
    return i == nullptr ? -1 : static_cast<std::int64_t>(*i);
  }
  [[nodiscard]] bool has_client_id(std::uint64_t id) const noexcept { return by_id_.find(id) != nullptr; }

  /// Takes a free slot (the lowest on a fresh table) for `address` and `id`; -1 when full.
  std::int64_t take(const Address& address, std::uint64_t id) noexcept;

  /// Takes a free slot for an in-process client with `id` (no address); -1 when full.
  std::int64_t take_local(std::uint64_t id) noexcept;

  /// Frees slot `i`.
  void release(std::uint32_t i) noexcept;

 private:
  void reset_free_list() noexcept {
    for (std::size_t i = 0; i < slots_.size(); ++i) free_[i] = static_cast<std::uint32_t>(slots_.size() - 1 - i);
  }

  std::vector<ClientSlot> slots_;
  std::vector<std::uint32_t> free_;
  detail::FixedHashMap<Address, std::uint32_t> by_address_;
  detail::FixedHashMap<std::uint64_t, std::uint32_t> by_id_;
};

}  // namespace courier::netcode

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/netcode/impl/client_slots.hpp"
#endif
