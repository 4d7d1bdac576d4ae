#pragma once
/// \file
/// ChannelConfig: one channel's mode, priority, message ids and limits. Both sides of a
/// connection use the same configuration (the pack layer derives it from one ChannelPack).

#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "courier/channel/reliability_mode.hpp"
#include "courier/core/time.hpp"

namespace courier {

/// Data bytes in every fragment of a large (block) message but the last; fixed by the payload
/// format so that neither side needs the other's configuration to place a fragment.
inline constexpr std::size_t block_fragment_bytes = 1024;

/// The configuration of one channel. Zero in a `0: default` field picks the default shown.
struct ChannelConfig {
  ChannelMode mode = ChannelMode::reliable_ordered;
  /// Higher is served first when packets are filled.
  std::uint8_t priority = 0;
  /// Message ids this channel owns: [0, message_id_count). A larger id from the peer is a
  /// protocol violation.
  std::uint32_t message_id_count = 1;
  /// Largest message sent whole inside one packet (≤ 1024). Larger messages travel as blocks of
  /// 1024-byte fragments: resent fragment by fragment on reliable channels, sent once and
  /// delivered all-or-nothing on unreliable ones.
  std::size_t max_inline_bytes = 512;
  /// Largest message. 0: default — 256 KiB on reliable channels, max_inline_bytes otherwise
  /// (an unreliable channel fragments only when this is set above max_inline_bytes).
  std::size_t max_message_bytes = 0;
  /// Messages queued or unacked at once (power of two ≤ 16 384). On reliable channels this is
  /// also the window: at most this many messages past the oldest unacked one are in flight.
  std::size_t send_queue_capacity = 256;
  /// Bytes of message data queued or unacked at once. 0: default — max_message_bytes plus
  /// send_queue_capacity · max_inline_bytes / 4 on reliable channels, send_queue_capacity ·
  /// max_inline_bytes otherwise (plus 2 · max_message_bytes when those fragment).
  std::size_t send_buffer_bytes = 0;
  /// Received messages held until the application takes them (power of two ≤ 16 384; the
  /// reliable receive window).
  std::size_t receive_queue_capacity = 256;
  /// Most bytes of one packet this channel may fill; 0: no cap beyond the packet's own.
  std::size_t packet_budget_bytes = 0;
  /// Unreliable channels with messages above max_inline_bytes: fragmented messages in
  /// reassembly at once (1 .. 64), each in a buffer of max_message_bytes reserved at
  /// construction. A partial message is abandoned (counted `incomplete`) once this many newer
  /// messages of the channel have begun to arrive, or when its slot is needed.
  std::size_t max_partial_messages = 4;
  /// Unreliable channels: a message still queued this long after `send` is dropped, status
  /// Dropped(Error::congestion), counted in ChannelStats::dropped_congestion — under a
  /// limited send rate (ConnectionConfig::rate) an old snapshot is worth less than the next
  /// one. 0: never dropped for age. Reliable channels must leave it 0: their messages wait.
  Duration max_send_delay{0};

  /// A copy with every `0: default` field resolved.
  [[nodiscard]] ChannelConfig resolved() const noexcept {
    ChannelConfig c = *this;
    const bool reliable = is_reliable(mode);
    if (c.max_message_bytes == 0) c.max_message_bytes = reliable ? 256 * 1024 : max_inline_bytes;
    const bool fragmented = c.max_message_bytes > max_inline_bytes;
    if (c.send_buffer_bytes == 0)
      c.send_buffer_bytes = reliable ? c.max_message_bytes + send_queue_capacity * max_inline_bytes / 4
                                     : send_queue_capacity * max_inline_bytes + (fragmented ? 2 * c.max_message_bytes : 0);
    return c;
  }

  /// Fragments of the largest block message (0 when every message is inline).
  [[nodiscard]] std::size_t max_block_fragments() const noexcept {
    const ChannelConfig c = resolved();
    if (c.max_message_bytes <= c.max_inline_bytes) return 0;
    return (c.max_message_bytes + block_fragment_bytes - 1) / block_fragment_bytes;
  }

  /// Bytes the largest single item of this channel (an inline message or a block fragment,
  /// with its chunk header) takes in a packet body.
  [[nodiscard]] std::size_t max_item_bytes() const noexcept {
    const std::size_t inline_item = 2 + 2 + 5 + 2 + max_inline_bytes;
    const std::size_t fragment_item = 1 + 2 + 5 + 2 + 2 + 2 + block_fragment_bytes;
    return max_block_fragments() > 0 ? fragment_item : inline_item;
  }

  /// Throws std::invalid_argument naming the first value out of range.
  void validate() const {
    const ChannelConfig c = resolved();
    const auto pow2 = [](std::size_t n) { return n >= 2 && n <= 16384 && (n & (n - 1)) == 0; };
    if (c.message_id_count == 0) throw std::invalid_argument("ChannelConfig::message_id_count must be positive");
    if (c.max_inline_bytes == 0 || c.max_inline_bytes > block_fragment_bytes)
      throw std::invalid_argument("ChannelConfig::max_inline_bytes must be in [1, 1024]");
    if (c.max_message_bytes < c.max_inline_bytes)
      throw std::invalid_argument("ChannelConfig::max_message_bytes must be at least max_inline_bytes");
    if (max_send_delay < Duration::zero() || (is_reliable(mode) && max_send_delay != Duration::zero()))
      throw std::invalid_argument("ChannelConfig::max_send_delay must be >= 0, and 0 on reliable channels");
    if (max_partial_messages == 0 || max_partial_messages > 64)
      throw std::invalid_argument("ChannelConfig::max_partial_messages must be in [1, 64]");
    if (max_block_fragments() > 65535) throw std::invalid_argument("ChannelConfig::max_message_bytes above 64 MiB");
    if (!pow2(c.send_queue_capacity) || !pow2(c.receive_queue_capacity))
      throw std::invalid_argument("ChannelConfig queue capacities must be powers of two in [2, 16384]");
    if (packet_budget_bytes != 0 && packet_budget_bytes < max_item_bytes())
      throw std::invalid_argument("ChannelConfig::packet_budget_bytes must fit the channel's largest message or fragment");
    if (c.send_buffer_bytes < c.max_message_bytes || c.send_buffer_bytes > 0xFFFFFFFFu)
      throw std::invalid_argument("ChannelConfig::send_buffer_bytes must hold the largest message");
  }
};

}  // namespace courier
