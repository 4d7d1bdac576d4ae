#pragma once
/// \file
/// ReliableSender's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/channel/detail/reliable_sender.hpp"

namespace courier::detail {

COURIER_DECL std::error_code ReliableSender::send(std::uint32_t id, std::span<const std::byte> bytes, TimePoint now, StatusTable& statuses, MessageHandle& handle) noexcept {
  if (queued() == entries_.size() || !statuses.available()) return Error::send_queue_full;
  const auto offset = ring_.allocate(bytes.size());
  if (!offset) return Error::send_queue_full;
  handle = *statuses.acquire();
  if (!bytes.empty()) std::memcpy(ring_.at(*offset, static_cast<std::uint32_t>(bytes.size())).data(), bytes.data(), bytes.size());
  entry(next_) = Entry{now, *offset, static_cast<std::uint32_t>(bytes.size()), id, handle.index, 0,
                       false, false, bytes.size() > config_.max_inline_bytes};
  ++next_;
  return {};
}

COURIER_DECL void ReliableSender::write(ChunkWriter& w, SendContext& ctx) noexcept {
  if (oldest_ != next_ && entry(oldest_).block) {
    write_block(w, ctx);
    return;
  }
  if (write_resends(w, ctx)) write_new(w, ctx);
}

COURIER_DECL void ReliableSender::on_acked(const MessageRef& ref, StatusTable& statuses) noexcept {
  if (!live(ref.sequence)) return;
  Entry& e = entry(ref.sequence);
  const bool done = ref.kind == RefKind::block_fragment ? block_.ack(ref.sequence, ref.value) : !e.acked;
  if (!done || e.acked) return;
  e.acked = true;
  statuses.set(e.status, {DeliveryState::acked, Error::ok});
  advance_oldest();
}

COURIER_DECL void ReliableSender::on_lost(const MessageRef& ref, std::uint16_t packet) noexcept {
  if (!live(ref.sequence) || entry(ref.sequence).acked) return;
  if (ref.kind == RefKind::block_fragment) {
    block_.lost(ref.sequence, ref.value, packet);
    return;
  }
  Entry& e = entry(ref.sequence);
  if (e.last_packet == packet && !e.in_resend) push_resend(ref.sequence);
}

COURIER_DECL void ReliableSender::drop_all(StatusTable& statuses, Error reason) noexcept {
  for (std::uint16_t s = oldest_; s != next_; ++s)
    if (!entry(s).acked) statuses.set(entry(s).status, {DeliveryState::dropped, reason});
  oldest_ = next_new_ = next_;
  resend_count_ = 0;
  ring_.clear();
  block_.reset();
}

COURIER_DECL bool ReliableSender::put(ChunkWriter& w, SendContext& ctx, std::uint16_t seq) noexcept {
  Entry& e = entry(seq);
  if (ctx.refs.full() || !w.add_message(true, seq, e.id, data(e))) return false;
  e.last_packet = ctx.packet;
  ctx.refs.push({channel_, RefKind::reliable_message, seq, 0});
  ctx.statuses.mark_sent(e.status);
  return true;
}

COURIER_DECL bool ReliableSender::write_resends(ChunkWriter& w, SendContext& ctx) noexcept {
  while (resend_count_ > 0) {
    const std::uint16_t seq = resend_[resend_head_];
    const bool stale = !live(seq) || entry(seq).acked || !entry(seq).in_resend;
    if (!stale && !put(w, ctx, seq)) return false;
    if (!stale) entry(seq).in_resend = false;
    resend_head_ = (resend_head_ + 1) % resend_.size();
    --resend_count_;
  }
  return true;
}

COURIER_DECL void ReliableSender::write_new(ChunkWriter& w, SendContext& ctx) noexcept {
  while (next_new_ != next_ && sequence_distance(next_new_, oldest_) < window_) {
    if (entry(next_new_).block || !put(w, ctx, next_new_)) return;
    ++next_new_;
  }
}

COURIER_DECL void ReliableSender::write_block(ChunkWriter& w, SendContext& ctx) noexcept {
  Entry& e = entry(oldest_);
  if (!block_.active_for(oldest_)) block_.start(oldest_, e.size);
  if (next_new_ == oldest_) ++next_new_;
  block_.write(w, e.id, data(e), channel_, ctx);
  ctx.statuses.mark_sent(e.status);
}

COURIER_DECL void ReliableSender::push_resend(std::uint16_t seq) noexcept {
  if (resend_count_ == resend_.size()) compact_resends();
  resend_[(resend_head_ + resend_count_) % resend_.size()] = seq;
  ++resend_count_;
  entry(seq).in_resend = true;
}

COURIER_DECL void ReliableSender::compact_resends() noexcept {
  std::size_t kept = 0;
  for (std::size_t k = 0; k < resend_count_; ++k) {
    const std::uint16_t seq = resend_[(resend_head_ + k) % resend_.size()];
    if (live(seq) && !entry(seq).acked && entry(seq).in_resend)
      resend_[(resend_head_ + kept++) % resend_.size()] = seq;
  }
  resend_count_ = kept;
}

COURIER_DECL void ReliableSender::advance_oldest() noexcept {
  while (oldest_ != next_ && entry(oldest_).acked) {
    ring_.release_oldest(entry(oldest_).offset, entry(oldest_).size);
    ++oldest_;
  }
  if (sequence_less_than(next_new_, oldest_)) next_new_ = oldest_;
}

}  // namespace courier::detail
