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
#include "courier/core/config.hpp"
#include "courier/core/error.hpp"
#include "courier/core/lazy_table.hpp"
#include "courier/core/time.hpp"
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

  /// Queues a message at `now`; the caller checked its id and size.
  std::error_code send(std::uint32_t id, std::span<const std::byte> bytes, TimePoint now,
                       StatusTable& statuses, MessageHandle& handle) noexcept;

  /// Reliable messages never expire: they wait (backpressure through send_queue_full).
  void expire(TimePoint, StatusTable&) noexcept {}

  /// How long the oldest message never written has waited (0 when none waits).
  [[nodiscard]] Duration queue_delay(TimePoint now) const noexcept {
    return next_new_ == next_ ? Duration::zero() : now - entries_[next_new_ & (entries_.size() - 1)].queued_at;
  }
  [[nodiscard]] static std::uint64_t dropped_congestion() noexcept { return 0; }

  /// Writes resends first, then new messages (or the block's fragments), while they fit.
  void write(ChunkWriter& w, SendContext& ctx) noexcept;

  void on_acked(const MessageRef& ref, StatusTable& statuses) noexcept;

  void on_lost(const MessageRef& ref, std::uint16_t packet) noexcept;

  /// Ends every unfinished message as Dropped(reason) and empties the queue.
  void drop_all(StatusTable& statuses, Error reason) noexcept;

  /// Gives the queue's byte memory back if it holds no message (Connection: after a quiet
  /// spell); false while messages are held.
  bool trim() noexcept { return ring_.trim(); }

  [[nodiscard]] std::size_t queued() const noexcept { return sequence_distance(next_, oldest_); }
  /// True when something waits to be written: a resend, a new message, a block's fragment.
  [[nodiscard]] bool has_unsent() const noexcept {
    return resend_count_ > 0 || next_new_ != next_ || block_.has_pending();
  }

 private:
  struct Entry {
    TimePoint queued_at{};  // when send() queued it
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

  bool put(ChunkWriter& w, SendContext& ctx, std::uint16_t seq) noexcept;

  bool write_resends(ChunkWriter& w, SendContext& ctx) noexcept;

  void write_new(ChunkWriter& w, SendContext& ctx) noexcept;

  void write_block(ChunkWriter& w, SendContext& ctx) noexcept;

  // Stale entries (acked since, or queued again) are skipped when popped; when the queue is
  // full of them it is compacted, so it never holds more than one entry per live message.
  void push_resend(std::uint16_t seq) noexcept;

  void compact_resends() noexcept;

  void advance_oldest() noexcept;

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

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/channel/impl/reliable_sender.hpp"
#endif
