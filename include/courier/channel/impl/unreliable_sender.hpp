#pragma once
/// \file
/// UnreliableSender's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include <algorithm>

#include "courier/channel/detail/unreliable_sender.hpp"

namespace courier::detail {

COURIER_DECL std::error_code UnreliableSender::send(std::uint32_t id, std::span<const std::byte> bytes, TimePoint now, StatusTable& statuses, MessageHandle& handle) noexcept {
  if (count_ == entries_.size() || !statuses.available()) return Error::send_queue_full;
  const auto size = static_cast<std::uint32_t>(bytes.size());
  const auto offset = ring_.allocate(size);
  if (!offset) return Error::send_queue_full;
  handle = *statuses.acquire();
  if (size != 0) std::memcpy(ring_.at(*offset, size).data(), bytes.data(), size);
  entries_[(head_ + count_) % entries_.size()] = Entry{*offset, size, id, handle.index, next_sequence_++, now};
  ++count_;
  return {};
}

COURIER_DECL void UnreliableSender::write(ChunkWriter& w, SendContext& ctx) noexcept {
  while (count_ > 0 && !ctx.refs.full()) {
    const Entry& e = entries_[head_];
    if (e.size > max_inline_) {
      if (!write_fragments(w, ctx, e)) return;
    } else {
      if (!w.add_message(sequenced_, e.sequence, e.id, ring_.at(e.offset, e.size))) return;
      ctx.refs.push({channel_, RefKind::unreliable_message, e.sequence, e.status});
      ctx.statuses.mark_sent(e.status);
    }
    pop();
  }
}

COURIER_DECL void UnreliableSender::expire(TimePoint now, StatusTable& statuses) noexcept {
  if (max_send_delay_ == Duration::zero()) return;
  while (count_ > 0 && head_fragments_written_ == 0 && now - entries_[head_].queued_at > max_send_delay_) {
    statuses.set(entries_[head_].status, {DeliveryState::dropped, Error::congestion});
    ++dropped_congestion_;
    pop();
  }
}

COURIER_DECL void UnreliableSender::on_acked(const MessageRef& ref, StatusTable& statuses) noexcept {
  if (ref.kind == RefKind::unreliable_fragment) resolve_fragment(ref, statuses, true);
  else statuses.set(ref.value, {DeliveryState::acked, Error::ok});
}

COURIER_DECL void UnreliableSender::on_lost(const MessageRef& ref, StatusTable& statuses) noexcept {
  if (ref.kind == RefKind::unreliable_fragment) resolve_fragment(ref, statuses, false);
  else statuses.set(ref.value, {DeliveryState::lost, Error::ok});
}

// Writes the head message's remaining fragments while they fit; true once all are written.
// A message whose InFlight record is still taken by an older message waits (rare: that needs
// send_queue_capacity newer messages sent while the older one's packets are unresolved).
COURIER_DECL bool UnreliableSender::write_fragments(ChunkWriter& w, SendContext& ctx, const Entry& e) noexcept {
  const auto count = static_cast<std::uint16_t>((e.size + block_fragment_bytes - 1) / block_fragment_bytes);
  InFlight& f = in_flight(e.sequence);
  if (head_fragments_written_ == 0 && f.active) return false;
  const std::span<const std::byte> data = ring_.at(e.offset, e.size);
  while (head_fragments_written_ < count) {
    const std::size_t offset = std::size_t{head_fragments_written_} * block_fragment_bytes;
    const WireFragment piece{channel_, e.sequence, e.id, head_fragments_written_, count,
                             data.subspan(offset, std::min(block_fragment_bytes, e.size - offset))};
    if (ctx.refs.full() || !w.add_fragment(piece)) return false;
    if (head_fragments_written_ == 0) f = InFlight{e.status, e.sequence, count, 0, true, false};
    f.last_packet = ctx.packet;
    ctx.refs.push({channel_, RefKind::unreliable_fragment, e.sequence, e.status});
    ctx.statuses.mark_sent(e.status);
    ++head_fragments_written_;
  }
  head_fragments_written_ = 0;
  f.written = true;
  return true;
}

COURIER_DECL std::optional<std::uint16_t> UnreliableSender::last_packet_of(const MessageRef& ref, std::uint16_t packet) noexcept {
  if (ref.kind != RefKind::unreliable_fragment) return packet;
  if (!tracked(ref) || !in_flight(ref.sequence).written) return std::nullopt;
  return in_flight(ref.sequence).last_packet;
}

COURIER_DECL bool UnreliableSender::tracked(const MessageRef& ref) noexcept {
  const InFlight& f = in_flight(ref.sequence);
  return f.active && f.sequence == ref.sequence && f.status == ref.value;
}

// Lost as soon as one fragment is (the receiver cannot complete it); Acked once every
// fragment's packet was acked. `unresolved` counts fragments not yet written too, so a message
// half written is never Acked; the record is freed when no fragment is left unresolved.
COURIER_DECL void UnreliableSender::resolve_fragment(const MessageRef& ref, StatusTable& statuses, bool acked) noexcept {
  if (!tracked(ref)) return;
  InFlight& f = in_flight(ref.sequence);
  if (!acked) statuses.set(f.status, {DeliveryState::lost, Error::ok});
  if (--f.unresolved != 0) return;
  f.active = false;
  if (acked) statuses.set(f.status, {DeliveryState::acked, Error::ok});
}

COURIER_DECL void UnreliableSender::drop_all(StatusTable& statuses, Error reason) noexcept {
  if (count_ > 0 && head_fragments_written_ > 0) forget_unwritten(entries_[head_]);
  head_fragments_written_ = 0;
  while (count_ > 0) {
    statuses.set(entries_[head_].status, {DeliveryState::dropped, reason});
    pop();
  }
}

// The head message was half written when its channel was dropped: the fragments never written
// will never resolve, so its record stops waiting for them.
COURIER_DECL void UnreliableSender::forget_unwritten(const Entry& e) noexcept {
  const auto count = static_cast<std::uint16_t>((e.size + block_fragment_bytes - 1) / block_fragment_bytes);
  InFlight& f = in_flight(e.sequence);
  f.unresolved = static_cast<std::uint16_t>(f.unresolved - (count - head_fragments_written_));
  if (f.unresolved == 0) f.active = false;
}

COURIER_DECL void UnreliableSender::pop() noexcept {
  ring_.release_oldest(entries_[head_].offset, entries_[head_].size);
  head_ = (head_ + 1) % entries_.size();
  --count_;
}

}  // namespace courier::detail
