#pragma once
/// \file
/// BlockSender: the fragments of the one block (large message) a reliable channel has in
/// flight. Each fragment is resent only when the packet that last carried it was lost, so a
/// 256 KiB message under loss costs the missing fragments, not the whole message again.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "courier/channel/channel_config.hpp"
#include "courier/channel/detail/payload_format.hpp"
#include "courier/channel/detail/send_context.hpp"
#include "courier/core/config.hpp"

namespace courier::detail {

class BlockSender {
 public:
  explicit BlockSender(std::size_t max_fragments)
      : acked_((max_fragments + 63) / 64), pending_((max_fragments + 63) / 64), last_packet_(max_fragments) {}

  [[nodiscard]] bool active_for(std::uint16_t seq) const noexcept { return active_ && seq_ == seq; }

  /// Starts sending message `seq` of `size` bytes: every fragment pending, none acked.
  void start(std::uint16_t seq, std::size_t size) noexcept;

  /// Writes pending fragments of `data` (the whole message) while they fit.
  void write(ChunkWriter& w, std::uint32_t id, std::span<const std::byte> data, std::uint8_t channel,
             SendContext& ctx) noexcept;

  /// Marks fragment `i` acked; true when that completed the block.
  bool ack(std::uint16_t seq, std::uint32_t i) noexcept;

  /// Fragment `i` must go again if `packet` was the last to carry it.
  void lost(std::uint16_t seq, std::uint32_t i, std::uint16_t packet) noexcept {
    if (!active_for(seq) || i >= count_ || (acked_[i / 64] & bit(i)) != 0) return;
    if (last_packet_[i] == packet) pending_[i / 64] |= bit(i);
  }

  void reset() noexcept { active_ = false; }

  /// True when fragments of the active block wait to be (re)sent.
  [[nodiscard]] bool has_pending() const noexcept {
    if (!active_) return false;
    for (const std::uint64_t word : pending_)
      if (word != 0) return true;
    return false;
  }

 private:
  static constexpr std::uint64_t bit(std::size_t i) noexcept { return std::uint64_t{1} << (i % 64); }

  std::vector<std::uint64_t> acked_;
  std::vector<std::uint64_t> pending_;
  std::vector<std::uint16_t> last_packet_;
  std::size_t size_ = 0;
  std::uint16_t seq_ = 0;
  std::uint16_t count_ = 0;
  std::uint16_t acked_count_ = 0;
  bool active_ = false;
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/channel/impl/block_sender.hpp"
#endif
