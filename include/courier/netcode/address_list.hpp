#pragma once
/// \file
/// AddressList: the 1..32 server addresses of a connect token, and their wire records
/// (docs/PROTOCOL.md Part 1 §2, "Addresses"): IPv4 = `01 a b c d port_le16`, IPv6 = `02` + 8 groups LE16 + `port_le16`.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>

#include "courier/core/byte_cursor.hpp"
#include "courier/core/config.hpp"
#include "courier/core/error.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode {

/// Up to 32 addresses in a fixed array (no allocation), in the order the client tries them.
class AddressList {
 public:
  constexpr AddressList() noexcept = default;
  /// The first 32 addresses of `list`; more are ignored (generate_connect_token refuses them).
  AddressList(std::initializer_list<Address> list) noexcept {
    for (const auto& a : list) push_back(a);
  }
  explicit AddressList(std::span<const Address> list) noexcept {
    for (const auto& a : list) push_back(a);
  }

  /// Appends; false when full.
  constexpr bool push_back(const Address& a) noexcept {
    if (size_ == items_.size()) return false;
    items_[size_++] = a;
    return true;
  }
  constexpr void clear() noexcept { size_ = 0; }

  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] constexpr const Address& operator[](std::size_t i) const noexcept { return items_[i]; }
  [[nodiscard]] std::span<const Address> addresses() const noexcept { return {items_.data(), size_}; }
  [[nodiscard]] constexpr const Address* begin() const noexcept { return items_.data(); }
  [[nodiscard]] constexpr const Address* end() const noexcept { return items_.data() + size_; }

  /// True when `a` is one of the addresses.
  [[nodiscard]] constexpr bool contains(const Address& a) const noexcept {
    for (std::size_t i = 0; i < size_; ++i)
      if (items_[i] == a) return true;
    return false;
  }

  friend constexpr bool operator==(const AddressList& x, const AddressList& y) noexcept {
    if (x.size_ != y.size_) return false;
    for (std::size_t i = 0; i < x.size_; ++i)
      if (!(x.items_[i] == y.items_[i])) return false;
    return true;
  }

 private:
  std::array<Address, max_servers_per_connect> items_{};
  std::size_t size_ = 0;
};

namespace detail {

/// Bytes one address record takes on the wire (0 for the none address, which has no record).
[[nodiscard]] constexpr std::size_t address_record_bytes(const Address& a) noexcept {
  return a.is_ipv4() ? 7 : a.is_ipv6() ? 19 : 0;
}

/// Writes `count u32` and the records; fails the writer with invalid_config for an empty or
/// none-address list, because such a token could never be read back.
void write_address_list(courier::detail::ByteWriter& w, const AddressList& list) noexcept;

/// Reads `count u32` and the records; false for a count outside [1,32] or a type not 1 or 2.
[[nodiscard]] bool read_address_list(courier::detail::ByteReader& r, AddressList& out) noexcept;

}  // namespace detail

}  // namespace courier::netcode

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/netcode/impl/address_list.hpp"
#endif
