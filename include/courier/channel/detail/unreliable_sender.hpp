#pragma once
/// \file
/// UnreliableSender: the send side of unreliable and unreliable-sequenced channels. A FIFO of
/// messages, each written into one packet and then forgotten; its status becomes Acked or Lost
/// with that packet. Never resent — an unreliable message is never made reliable. A message
/// above max_inline_bytes goes as fragments of 1024 bytes, each sent once, in as many packets
/// as it takes; it is Acked when every fragment's packet was, Lost as soon as one was lost
/// (the receiver then never delivers it: all-or-nothing).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <system_error>

#include "courier/channel/channel_config.hpp"
#include "courier/channel/detail/byte_ring.hpp"
#include "courier/channel/detail/payload_format.hpp"
#include "courier/channel/detail/send_context.hpp"
#include "courier/core/config.hpp"
#include "courier/core/error.hpp"
#include "courier/core/lazy_table.hpp"
#include "courier/core/time.hpp"

namespace courier::detail {

class UnreliableSender {
 public:
  /// `c` is a resolved, validated configuration.
  UnreliableSender(const ChannelConfig& c, std::uint8_t channel)
      : sequenced_(c.mode == ChannelMode::unreliable_sequenced), channel_(channel),
        max_inline_(c.max_inline_bytes), max_send_delay_(c.max_send_delay), entries_(c.send_queue_capacity), ring_(c.send_buffer_bytes),
        fragmented_(c.max_block_fragments() > 0 ? c.send_queue_capacity : 0) {}

  /// Queues a message at `now`; the caller checked its id and size.
  std::error_code send(std::uint32_t id, std::span<const std::byte> bytes, TimePoint now,
                       StatusTable& statuses, MessageHandle& handle) noexcept;

  /// Drops, as Dropped(Error::congestion), the queued messages older than max_send_delay (not
  /// one already half written: its fragments are on their way).
  void expire(TimePoint now, StatusTable& statuses) noexcept;

  /// How long the oldest message not yet written has waited (0 when none waits).
  [[nodiscard]] Duration queue_delay(TimePoint now) const noexcept {
    return count_ == 0 ? Duration::zero() : now - entries_[head_].queued_at;
  }
  [[nodiscard]] std::uint64_t dropped_congestion() const noexcept { return dropped_congestion_; }

  /// Writes queued messages, oldest first, while they fit; a fragmented message may be left
  /// half written, to go on in the next packet.
  void write(ChunkWriter& w, SendContext& ctx) noexcept;

  void on_acked(const MessageRef& ref, StatusTable& statuses) noexcept;
  void on_lost(const MessageRef& ref, StatusTable& statuses) noexcept;

  /// The packet that carried the end of `ref`'s message (`packet` itself, which carried `ref`,
  /// unless the message is fragmented); nullopt while a fragment of it is still unwritten.
  /// Only a newer packet than this one can carry a newer message that overtook it.
  [[nodiscard]] std::optional<std::uint16_t> last_packet_of(const MessageRef& ref, std::uint16_t packet) noexcept;

  /// Ends every queued message as Dropped(reason). Messages already sent keep waiting for
  /// their packet's fate.
  void drop_all(StatusTable& statuses, Error reason) noexcept;

  /// Gives the queue's byte memory back if it holds no message (Connection: after a quiet
  /// spell); false while messages are held.
  bool trim() noexcept { return ring_.trim(); }

  [[nodiscard]] std::size_t queued() const noexcept { return count_; }
  /// True when a message waits to be written.
  [[nodiscard]] bool has_unsent() const noexcept { return count_ > 0; }

 private:
  struct Entry {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
    std::uint32_t id = 0;
    std::uint32_t status = 0;
    std::uint16_t sequence = 0;
    TimePoint queued_at{};
  };
  // A fragmented message with fragments in unresolved packets, by sequence.
  struct InFlight {
    std::uint32_t status = 0;
    std::uint16_t sequence = 0;
    std::uint16_t unresolved = 0;  // fragments whose packet was neither acked nor lost yet
    std::uint16_t last_packet = 0;  // of the last fragment written so far
    bool active = false;
    bool written = false;  // every fragment is written
  };

  InFlight& in_flight(std::uint16_t seq) noexcept { return fragmented_[seq & (fragmented_.size() - 1)]; }
  // True when `ref` is a fragment of the message its InFlight record tracks.
  bool tracked(const MessageRef& ref) noexcept;
  bool write_fragments(ChunkWriter& w, SendContext& ctx, const Entry& e) noexcept;
  void resolve_fragment(const MessageRef& ref, StatusTable& statuses, bool acked) noexcept;
  void forget_unwritten(const Entry& e) noexcept;
  void pop() noexcept;

  bool sequenced_;
  std::uint8_t channel_;
  std::size_t max_inline_;
  Duration max_send_delay_;
  std::uint64_t dropped_congestion_ = 0;
  LazyTable<Entry> entries_;  // a ring, written from index 0 on
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::uint16_t head_fragments_written_ = 0;  // of the head message, when fragmented
  ByteRing ring_;
  LazyTable<InFlight> fragmented_;  // empty on a channel without fragmented messages
  std::uint16_t next_sequence_ = 0;
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/channel/impl/unreliable_sender.hpp"
#endif
