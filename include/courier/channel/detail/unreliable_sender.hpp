#pragma once
/// \file
/// UnreliableSender: the send side of unreliable and unreliable-sequenced channels. A FIFO of
/// messages, each written into one packet and then forgotten; its status becomes Acked or Lost
/// with that packet. Never resent — an unreliable message is never made reliable.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <system_error>

#include "courier/channel/channel_config.hpp"
#include "courier/channel/detail/byte_ring.hpp"
#include "courier/channel/detail/payload_format.hpp"
#include "courier/channel/detail/send_context.hpp"
#include "courier/core/config.hpp"
#include "courier/core/error.hpp"
#include "courier/core/lazy_table.hpp"

namespace courier::detail {

class UnreliableSender {
 public:
  /// `c` is a resolved, validated configuration.
  UnreliableSender(const ChannelConfig& c, std::uint8_t channel)
      : sequenced_(c.mode == ChannelMode::unreliable_sequenced), channel_(channel),
        entries_(c.send_queue_capacity), ring_(c.send_buffer_bytes) {}

  /// Queues a message; the caller checked its id and size.
  std::error_code send(std::uint32_t id, std::span<const std::byte> bytes, StatusTable& statuses,
                       MessageHandle& handle) noexcept;

  /// Writes queued messages, oldest first, while they fit.
  void write(ChunkWriter& w, SendContext& ctx) noexcept;

  static void on_acked(const MessageRef& ref, StatusTable& statuses) noexcept {
    statuses.set(ref.value, {DeliveryState::acked, Error::ok});
  }
  static void on_lost(const MessageRef& ref, StatusTable& statuses) noexcept {
    statuses.set(ref.value, {DeliveryState::lost, Error::ok});
  }

  /// Ends every queued message as Dropped(reason). Messages already sent keep waiting for
  /// their packet's fate.
  void drop_all(StatusTable& statuses, Error reason) noexcept;

  [[nodiscard]] std::size_t queued() const noexcept { return count_; }

 private:
  struct Entry {
    std::uint32_t offset = 0;
    std::uint32_t size = 0;
    std::uint32_t id = 0;
    std::uint32_t status = 0;
    std::uint16_t sequence = 0;
  };

  void pop() noexcept;

  bool sequenced_;
  std::uint8_t channel_;
  LazyTable<Entry> entries_;  // a ring, written from index 0 on
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  ByteRing ring_;
  std::uint16_t next_sequence_ = 0;
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/channel/impl/unreliable_sender.hpp"
#endif
