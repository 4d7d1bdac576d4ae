#pragma once
/// \file
/// EncryptionManager: the server's table of per-address keys (netcode.io 1.02 standard,
/// 'Processing Connection Requests'). A
/// mapping is made when a connection request passes, so the response that follows can be
/// decrypted; it dies when idle for longer than the token's timeout, or at its expiry if no
/// slot was taken by then. O(1) lookup by address; storage reserved once, resident as used.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "courier/core/config.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/fixed_hash_map.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode {

/// The keys of one address, and what the server must remember about its connect token.
struct EncryptionMapping {
  Address address;
  Key send_key{};                  ///< server to client
  Key receive_key{};               ///< client to server
  TimePoint last_access{};
  Duration timeout{};              ///< idle limit; only when `has_timeout`
  bool has_timeout = false;        ///< token timeout > 0
  TimePoint expire{};              ///< only when `has_expire`
  bool has_expire = false;         ///< cleared once the client takes a slot
  std::int32_t timeout_seconds = 0;  ///< copied into the slot on connect
  TokenTag token_tag{};            ///< marks the token consumed when the client connects
};

/// Fixed-capacity address -> mapping table.
class EncryptionManager {
 public:
  explicit EncryptionManager(std::size_t capacity) : capacity_(capacity), index_(capacity) {
    pool_.reserve(capacity);
    free_.reserve(capacity);
  }

  /// Adds or refreshes the mapping of `m.address`, stamped `now`. With `timeout_seconds >= 0`
  /// the pending mapping expires at now + timeout (the reference's rule; 0 expires at once).
  /// Null when the table is full of live mappings.
  EncryptionMapping* add(const EncryptionMapping& m, TimePoint now) noexcept;

  /// The live mapping of `address`, its idle clock refreshed; an expired one is removed.
  EncryptionMapping* find(const Address& address, TimePoint now) noexcept;

  /// Removes the mapping of `address`, if any.
  bool remove(const Address& address) noexcept;

  void clear() noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return index_.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  /// The reference's expiry test: idle for longer than the timeout, or past the expiry.
  [[nodiscard]] static bool expired(const EncryptionMapping& e, TimePoint now) noexcept {
    return (e.has_timeout && e.last_access + e.timeout < now) || (e.has_expire && e.expire < now);
  }

 private:
  /// A free slot, reclaiming an expired mapping when the table is full (a scan, but only then).
  bool take_slot(TimePoint now, std::uint32_t& slot) noexcept;

  std::size_t capacity_;
  // Reserved for capacity_ and built in order as mappings are first needed: a table sized for
  // four mappings per client slot is resident as far as it was used. Never reallocates, so a
  // mapping's address stays valid.
  std::vector<EncryptionMapping> pool_;
  std::vector<std::uint32_t> free_;  // built mappings not in use
  detail::FixedHashMap<Address, std::uint32_t> index_;
};

}  // namespace courier::netcode

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/netcode/impl/encryption_manager.hpp"
#endif
