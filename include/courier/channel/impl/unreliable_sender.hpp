#pragma once
/// \file
/// UnreliableSender's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/channel/detail/unreliable_sender.hpp"

namespace courier::detail {

COURIER_DECL std::error_code UnreliableSender::send(std::uint32_t id, std::span<const std::byte> bytes, StatusTable& statuses, MessageHandle& handle) noexcept {
  if (count_ == entries_.size() || !statuses.available()) return Error::send_queue_full;
  const auto size = static_cast<std::uint32_t>(bytes.size());
  const auto offset = ring_.allocate(size);
  if (!offset) return Error::send_queue_full;
  handle = *statuses.acquire();
  if (size != 0) std::memcpy(ring_.at(*offset, size).data(), bytes.data(), size);
  entries_[(head_ + count_) % entries_.size()] = Entry{*offset, size, id, handle.index, next_sequence_++};
  ++count_;
  return {};
}

COURIER_DECL void UnreliableSender::write(ChunkWriter& w, SendContext& ctx) noexcept {
  while (count_ > 0 && !ctx.refs.full()) {
    const Entry& e = entries_[head_];
    if (!w.add_message(sequenced_, e.sequence, e.id, ring_.at(e.offset, e.size))) return;
    ctx.refs.push({channel_, RefKind::unreliable_message, e.sequence, e.status});
    ctx.statuses.mark_sent(e.status);
    pop();
  }
}

COURIER_DECL void UnreliableSender::drop_all(StatusTable& statuses, Error reason) noexcept {
  while (count_ > 0) {
    statuses.set(entries_[head_].status, {DeliveryState::dropped, reason});
    pop();
  }
}

COURIER_DECL void UnreliableSender::pop() noexcept {
  ring_.release_oldest(entries_[head_].offset, entries_[head_].size);
  head_ = (head_ + 1) % entries_.size();
  --count_;
}

}  // namespace courier::detail
