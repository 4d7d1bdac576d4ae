#pragma once
/// \file
/// TokenHistory's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/netcode/token_history.hpp"

namespace courier::netcode {

COURIER_DECL TokenHistory::Verdict TokenHistory::check_and_record(const TokenTag& tag, const Address& from, UnixSeconds token_expire, UnixSeconds unix_now) noexcept {
  if (const std::uint32_t* at = index_.find(tag)) {
    const Entry& e = ring_[*at];
    if (e.consumed) return Verdict::consumed;
    return e.address == from ? Verdict::accepted : Verdict::other_address;
  }
  std::uint32_t slot = 0;
  if (!make_room(unix_now, slot)) return Verdict::full;
  ring_[slot] = Entry{tag, from, token_expire, false};
  index_.insert(tag, slot);
  return Verdict::accepted;
}

COURIER_DECL bool TokenHistory::make_room(UnixSeconds unix_now, std::uint32_t& slot) noexcept {
  if (capacity_ == 0) return false;
  if (count_ < capacity_) {  // not full yet: head_ is 0 and the ring grows at its end
    slot = static_cast<std::uint32_t>(count_++);
    ring_.emplace_back();  // within the reserve: entries never move
    return true;
  }
  for (std::size_t i = 0; i < eviction_attempts; ++i) {
    const std::size_t front = head_;
    head_ = (head_ + 1) % capacity_;  // full ring: the front becomes the back
    const Entry& e = ring_[front];
    if (!e.consumed || e.expire <= unix_now) {
      index_.erase(e.tag);
      slot = static_cast<std::uint32_t>(front);
      return true;
    }
  }
  return false;
}

}  // namespace courier::netcode
