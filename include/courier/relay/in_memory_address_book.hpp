#pragma once
/// \file
/// InMemoryAddressBook: the AddressBook that forgets everything when the process ends.
///
/// Addresses are handed out densely in order of first use: VirtualAddress::first, first + 1, ...
/// An id keeps its address for the book's lifetime; once `capacity` addresses are out, assign()
/// of a new id returns nullopt (ids already in the book still get theirs). Both directions are
/// O(1): a hash map from id to address, and a vector indexed by `address - first` back to the id
/// (addresses are dense, so the vector has no holes). Not thread-safe, like a standard container.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "courier/core/config.hpp"
#include "courier/relay/address_book.hpp"
#include "courier/relay/virtual_address.hpp"

namespace courier {

class InMemoryAddressBook {
 public:
  /// Every address of 100.64.0.1 .. 100.127.255.254: 4 194 302.
  static constexpr std::size_t max_capacity =
      static_cast<std::size_t>(VirtualAddress::last) - VirtualAddress::first + 1;

  /// `capacity`: how many addresses the book hands out at most (clamped to max_capacity).
  /// Nothing is reserved up front; memory grows with the ids seen.
  explicit InMemoryAddressBook(std::size_t capacity = max_capacity) noexcept
      : capacity_(capacity < max_capacity ? capacity : max_capacity) {}

  /// The id's address: the one it already has, or the next free one. nullopt when the book is
  /// full. Strong guarantee: if an allocation throws, the book is unchanged.
  [[nodiscard]] std::optional<VirtualAddress> assign(std::uint64_t id);

  /// The id holding `address`; nullopt if none does (or the address is not a virtual address).
  [[nodiscard]] std::optional<std::uint64_t> find(VirtualAddress address) const noexcept;

  /// The id's address if it has one; never assigns.
  [[nodiscard]] std::optional<VirtualAddress> lookup(std::uint64_t id) const noexcept {
    if (const auto it = by_id_.find(id); it != by_id_.end()) return VirtualAddress{it->second};
    return std::nullopt;
  }

  [[nodiscard]] std::size_t size() const noexcept { return ids_.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  std::size_t capacity_;
  std::unordered_map<std::uint64_t, std::uint32_t> by_id_;
  std::vector<std::uint64_t> ids_;  // ids_[address - first]
};

static_assert(AddressBook<InMemoryAddressBook>);

}  // namespace courier

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/relay/impl/in_memory_address_book.hpp"
#endif
