#pragma once
/// \file
/// ClientSlots's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/netcode/client_slots.hpp"

namespace courier::netcode {

COURIER_DECL std::int64_t ClientSlots::take(const Address& address, std::uint64_t id) noexcept {
  if (free_.empty()) return -1;
  const std::uint32_t i = free_.back();
  free_.pop_back();
  ClientSlot& s = slots_[i];
  s.connected = true;
  s.confirmed = false;
  s.address = address;
  s.client_id = id;
  s.sequence = 0;
  s.replay.reset();
  by_address_.insert(address, i);
  by_id_.insert(id, i);
  return i;
}

COURIER_DECL std::int64_t ClientSlots::take_local(std::uint64_t id) noexcept {
  if (free_.empty()) return -1;
  const std::uint32_t i = free_.back();
  free_.pop_back();
  ClientSlot& s = slots_[i];
  s.connected = true;
  s.local = true;
  s.confirmed = true;
  s.address = Address{};
  s.client_id = id;
  by_id_.insert(id, i);
  return i;
}

COURIER_DECL void ClientSlots::release(std::uint32_t i) noexcept {
  ClientSlot& s = slots_[i];
  if (!s.connected) return;
  if (!s.local) by_address_.erase(s.address);
  s.local = false;
  by_id_.erase(s.client_id);
  s.connected = false;
  s.confirmed = false;
  free_.push_back(i);  // capacity reserved at construction: never reallocates
}

}  // namespace courier::netcode
