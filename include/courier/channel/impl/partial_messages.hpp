#pragma once
/// \file
/// PartialMessages' function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include <algorithm>
#include <cstring>

#include "courier/channel/detail/partial_messages.hpp"
#include "courier/reliable/sequence.hpp"

namespace courier::detail {

namespace partial_detail {
inline std::size_t slot_count(const ChannelConfig& c) noexcept {
  return !is_reliable(c.mode) && c.max_block_fragments() > 0 ? c.max_partial_messages : 0;
}
}  // namespace partial_detail

COURIER_DECL PartialMessages::PartialMessages(const ChannelConfig& c)
    : max_bytes_(c.max_message_bytes), words_((c.max_block_fragments() + 63) / 64),
      slots_(partial_detail::slot_count(c)), bits_(partial_detail::slot_count(c) * words_),
      buffers_(partial_detail::slot_count(c) * c.max_message_bytes) {}

COURIER_DECL std::optional<std::uint8_t> PartialMessages::add(const WireFragment& f, DropCounters& drops) noexcept {
  std::optional<std::uint8_t> slot = find(f);
  if (!slot) slot = start(f, drops);
  if (!slot) return std::nullopt;
  Slot& s = slots_[*slot];
  if (s.state == State::complete || !mark(*slot, f.index)) {
    drops.count(DropReason::duplicate);
    return std::nullopt;
  }
  const std::size_t offset = std::size_t{f.index} * block_fragment_bytes;
  const std::size_t at = *slot * max_bytes_ + offset;
  std::memcpy(buffers_.reach(at + f.bytes.size()) + at, f.bytes.data(), f.bytes.size());
  if (f.index + 1 == f.count) s.size = static_cast<std::uint32_t>(offset + f.bytes.size());
  if (++s.received < s.count) return std::nullopt;
  s.state = State::complete;
  return slot;
}

// The slot holding this fragment's message (assembling, or complete and not yet taken). A
// same-numbered slot with another count or id is a message from 65 536 sequences ago, never
// completed: `start` replaces it.
COURIER_DECL std::optional<std::uint8_t> PartialMessages::find(const WireFragment& f) const noexcept {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.state != State::empty && s.sequence == f.sequence && s.count == f.count && s.id == f.id)
      return static_cast<std::uint8_t>(i);
  }
  return std::nullopt;
}

// A new message begins: partial messages too far behind it are abandoned; then a free slot,
// else the oldest partial one (abandoned too). When every slot holds a complete message that
// the application has not taken yet, the fragment is dropped (queue_full).
COURIER_DECL std::optional<std::uint8_t> PartialMessages::start(const WireFragment& f, DropCounters& drops) noexcept {
  if (any_ && !sequence_greater_than(f.sequence, newest_) &&
      sequence_distance(newest_, f.sequence) >= slots_.size()) {
    drops.count(DropReason::incomplete);  // a straggler of a message already abandoned
    return std::nullopt;
  }
  if (!any_ || sequence_greater_than(f.sequence, newest_)) newest_ = f.sequence;
  any_ = true;
  expire_older_than(newest_, drops);
  std::optional<std::uint8_t> chosen;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.state == State::empty) { chosen = static_cast<std::uint8_t>(i); break; }
    if (s.state == State::assembling &&
        (!chosen || sequence_less_than(s.sequence, slots_[*chosen].sequence)))
      chosen = static_cast<std::uint8_t>(i);
  }
  if (!chosen) {
    drops.count(DropReason::queue_full);
    return std::nullopt;
  }
  if (slots_[*chosen].state == State::assembling) drops.count(DropReason::incomplete);
  slots_[*chosen] = Slot{State::assembling, f.sequence, f.count, 0, f.id, 0};
  std::fill_n(bits_.begin() + static_cast<std::ptrdiff_t>(*chosen * words_), words_, 0);
  return chosen;
}

COURIER_DECL void PartialMessages::expire_older_than(std::uint16_t sequence, DropCounters& drops) noexcept {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& s = slots_[i];
    if (s.state == State::assembling && sequence_less_than(s.sequence, sequence) &&
        sequence_distance(sequence, s.sequence) >= slots_.size()) {
      s.state = State::empty;
      drops.count(DropReason::incomplete);
    }
  }
}

COURIER_DECL bool PartialMessages::mark(std::uint8_t slot, std::uint16_t index) noexcept {
  std::uint64_t& word = bits_[slot * words_ + index / 64];
  const std::uint64_t bit = std::uint64_t{1} << (index % 64);
  if ((word & bit) != 0) return false;
  word |= bit;
  return true;
}

}  // namespace courier::detail
