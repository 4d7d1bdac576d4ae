#pragma once
/// \file
/// PacketRefs's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/channel/detail/packet_refs.hpp"

namespace courier::detail {

COURIER_DECL void PacketRefs::commit(std::uint16_t seq, std::uint64_t begin) noexcept {
  Record* r = records_.insert(seq);
  if (r == nullptr) return;
  *r = Record{begin, head_, false};
  if (!any_) oldest_ = seq;
  any_ = true;
  next_ = static_cast<std::uint16_t>(seq + 1);
}

COURIER_DECL void PacketRefs::release_resolved() noexcept {
  while (any_ && oldest_ != next_) {
    const Record* r = records_.find(oldest_);
    if (r != nullptr && !r->resolved) return;
    if (r != nullptr) tail_ = r->end;
    ++oldest_;
  }
}

}  // namespace courier::detail
