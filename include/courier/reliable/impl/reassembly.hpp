#pragma once
/// \file
/// Reassembly's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/reliable/reassembly.hpp"

namespace courier::detail {

COURIER_DECL Reassembly::Result Reassembly::add(const FragmentHeader& h, std::span<const std::byte> data) noexcept {
  Slot* slot = find(h.sequence);
  if (slot != nullptr && slot->count != h.count) return Result::violation;
  if (slot == nullptr) slot = allocate(h);
  if (slot == nullptr) return Result::table_full;
  if (slot->has(h.index)) return Result::duplicate;
  const std::size_t offset = static_cast<std::size_t>(h.index) * packet_fragment_bytes;
  std::memcpy(storage(*slot) + offset, data.data(), data.size());
  slot->set(h.index);
  ++slot->received;
  if (h.index + 1 == h.count) slot->size = offset + data.size();
  if (slot->received < slot->count) return Result::incomplete;
  slot->active = false;
  packet_ = {storage(*slot), slot->size};
  return Result::complete;
}

COURIER_DECL std::size_t Reassembly::in_progress() const noexcept {
  std::size_t n = 0;
  for (const Slot& s : slots_) n += s.active ? 1 : 0;
  return n;
}

COURIER_DECL Reassembly::Slot* Reassembly::find(std::uint16_t seq) noexcept {
  for (Slot& s : slots_)
    if (s.active && s.sequence == seq) return &s;
  return nullptr;
}

COURIER_DECL Reassembly::Slot* Reassembly::allocate(const FragmentHeader& h) noexcept {
  Slot* victim = nullptr;
  for (Slot& s : slots_) {
    if (!s.active) {
      victim = &s;
      break;
    }
    if (victim == nullptr || sequence_less_than(s.sequence, victim->sequence)) victim = &s;
  }
  if (victim->active && !sequence_greater_than(h.sequence, victim->sequence)) return nullptr;
  *victim = Slot{};
  victim->sequence = h.sequence;
  victim->count = h.count;
  victim->active = true;
  return victim;
}

}  // namespace courier::detail
