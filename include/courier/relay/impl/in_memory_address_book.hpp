#pragma once
/// \file
/// InMemoryAddressBook's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/relay/in_memory_address_book.hpp"

namespace courier {

COURIER_DECL std::optional<VirtualAddress> InMemoryAddressBook::assign(std::uint64_t id) {
  if (const auto it = by_id_.find(id); it != by_id_.end()) return VirtualAddress{it->second};
  if (ids_.size() >= capacity_) return std::nullopt;
  const auto value = static_cast<std::uint32_t>(VirtualAddress::first + ids_.size());
  ids_.push_back(id);
  try {
    by_id_.emplace(id, value);
  } catch (...) {
    ids_.pop_back();
    throw;
  }
  return VirtualAddress{value};
}

COURIER_DECL std::optional<std::uint64_t> InMemoryAddressBook::find(VirtualAddress address) const noexcept {
  if (!address.valid()) return std::nullopt;
  const std::size_t index = address.value - VirtualAddress::first;
  if (index >= ids_.size()) return std::nullopt;
  return ids_[index];
}

}  // namespace courier
