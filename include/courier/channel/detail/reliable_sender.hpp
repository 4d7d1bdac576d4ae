#pragma once
/// \file
/// ReliableSender: the send side of a reliable channel (ordered or unordered; the receiver
/// makes the difference). Messages are numbered; those from the oldest unacked one up to the
/// window are in flight. A message is resent when the packet that last carried it is declared
/// lost — by the endpoint's RTT-derived timeout or by newer packets being acked — never on a
/// fixed timer. A message above max_inline_bytes is a block: it goes out, fragment by
/// fragment, once it is the oldest unacked message, and messages behind it wait for it.

#include <algorithm>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>

#include "courier/channel/channel_config.hpp"
#include "courier/channel/detail/block_sender.hpp"
#include "courier/channel/detail/byte_ring.hpp"
#include "courier/channel/detail/payload_format.hpp"
#include "courier/channel/detail/send_context.hpp"
#include "courier/core/error.hpp"
#include "courier/core/lazy_table.hpp"
#include "courier/reliable/sequence.hpp"

namespace courier::detail {

class ReliableSender {
 public:
  /// `c` is a resolved, validated configuration.
  ReliableSender(const ChannelConfig& c, std::uint8_t channel)
      : config_(c), channel_(channel), entries_(c.send_queue_capacity),
        resend_(2 * c.send_queue_capacity), ring_(c.send_buffer_bytes),
        block_(c.max_block_fragments()),
        window_(std::min(c.send_queue_capacity, c.receive_queue_capacity)) {}

  /// Queues a message; the caller checked its id and size.
  std::error_code send(std::uint32_t id, std::span<const std::byte> bytes, StatusTable& statuses,
                       MessageHandle& handle) noexcept {
    if (queued() == entries_.size() || !statuses.available()) return Error::send_queue_full;
    const auto offset = ring_.allocate(bytes.size());
    if (!offset) return Error::send_queue_full;
    handle = *statuses.acquire();
    if (!bytes.empty()) std::memcpy(ring_.at(*offset, static_cast<std::uint32_t>(bytes.size())).data(), bytes.data(), bytes.size());
    entry(next_) = Entry{*offset, static_cast<std::uint32_t>(bytes.size()), id, handle.index, 0,
                         false, false, bytes.size() > config_.max_inline_bytes};
    ++next_;
    return {};
  }

  /// Writes resends first, then new messages (or the block's fragments), while they fit.
  void write(ChunkWriter& w, SendContext& ctx) noexcept {
    if (oldest_ != next_ && entry(oldest_).block) {
      write_block(w, ctx);
      return;
    }
    if (write_resends(w, ctx)) write_new(w, ctx);
  }

  void on_acked(const MessageRef& ref, StatusTable& statuses) noexcept {
    if (!live(ref.sequence)) return;
    Entry& e = entry(ref.sequence);
    const bool done = ref.kind == RefKind::block_fragment ? block_.ack(ref.sequence, ref.value) : !e.acked;
    if (!done || e.acked) return;
    e.acked = true;
    statuses.set(e.status, {DeliveryState::acked, Error::ok});
    advance_oldest();
  }

  void on_lost(const MessageRef& ref, std::uint16_t packet) noexcept {
    if (!live(ref.sequence) || entry(ref.sequence).acked) return;
    if (ref.kind == RefKind::block_fragment) {
      block_.lost(ref.sequence, ref.value, packet);
      return;
    }
    Entry& e = entry(ref.sequence);
    if (e.last_packet == packet && !e.in_resend) push_resend(ref.sequence);
  }

  /// Ends every unfinished message as Dropped(reason) and empties the queue.
  void drop_all(StatusTable& statuses, Error reason) noexcept {
    for (std::uint16_t s = oldest_; s != next_; ++s)
      if (!entry(s).acked) statuses.set(entry(s).status, {DeliveryState::dropped, reason});
    oldest_ = next_new_ = next_;
    resend_count_ = 0;
    ring_.clear();
    block_.reset();
  }

  [[nodiscard]] std::size_t queued() const noexcept { return sequence_distance(next_, oldest_); }

 private:
  struct Entry {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
    std::uint32_t id = 0;
    std::uint32_t status = 0;
    std::uint16_t last_packet = 0;
    bool acked = false;
    bool in_resend = false;
    bool block = false;
  };

  Entry& entry(std::uint16_t seq) noexcept { return entries_[seq & (entries_.size() - 1)]; }
  [[nodiscard]] bool live(std::uint16_t seq) const noexcept {
    return sequence_distance(seq, oldest_) < sequence_distance(next_, oldest_);
  }
  std::span<const std::byte> data(const Entry& e) noexcept { return ring_.at(e.offset, e.size); }

  bool put(ChunkWriter& w, SendContext& ctx, std::uint16_t seq) noexcept {
    Entry& e = entry(seq);
    if (ctx.refs.full() || !w.add_message(true, seq, e.id, data(e))) return false;
    e.last_packet = ctx.packet;
    ctx.refs.push({channel_, RefKind::reliable_message, seq, 0});
    ctx.statuses.mark_sent(e.status);
    return true;
  }

  bool write_resends(ChunkWriter& w, SendContext& ctx) noexcept {
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

  void write_new(ChunkWriter& w, SendContext& ctx) noexcept {
    while (next_new_ != next_ && sequence_distance(next_new_, oldest_) < window_) {
      if (entry(next_new_).block || !put(w, ctx, next_new_)) return;
      ++next_new_;
    }
  }

  void write_block(ChunkWriter& w, SendContext& ctx) noexcept {
    Entry& e = entry(oldest_);
    if (!block_.active_for(oldest_)) block_.start(oldest_, e.size);
    if (next_new_ == oldest_) ++next_new_;
    block_.write(w, e.id, data(e), channel_, ctx);
    ctx.statuses.mark_sent(e.status);
  }

  // Stale entries (acked since, or queued again) are skipped when popped; when the queue is
  // full of them it is compacted, so it never holds more than one entry per live message.
  void push_resend(std::uint16_t seq) noexcept {
    if (resend_count_ == resend_.size()) compact_resends();
    resend_[(resend_head_ + resend_count_) % resend_.size()] = seq;
    ++resend_count_;
    entry(seq).in_resend = true;
  }

  void compact_resends() noexcept {
    std::size_t kept = 0;
    for (std::size_t k = 0; k < resend_count_; ++k) {
      const std::uint16_t seq = resend_[(resend_head_ + k) % resend_.size()];
      if (live(seq) && !entry(seq).acked && entry(seq).in_resend)
        resend_[(resend_head_ + kept++) % resend_.size()] = seq;
    }
    resend_count_ = kept;
  }

  void advance_oldest() noexcept {
    while (oldest_ != next_ && entry(oldest_).acked) {
      ring_.release_oldest(entry(oldest_).offset, entry(oldest_).size);
      ++oldest_;
    }
    if (sequence_less_than(next_new_, oldest_)) next_new_ = oldest_;
  }

  ChannelConfig config_;
  std::uint8_t channel_;
  LazyTable<Entry> entries_;          // by sequence, written from index 0 on
  LazyTable<std::uint16_t> resend_;   // a ring of sequences to send again
  std::size_t resend_head_ = 0;
  std::size_t resend_count_ = 0;
  ByteRing ring_;
  BlockSender block_;
  std::size_t window_;
  std::uint16_t oldest_ = 0;    // oldest unacked
  std::uint16_t next_new_ = 0;  // oldest never sent
  std::uint16_t next_ = 0;      // sequence of the next send
};

}  // namespace courier::detail
