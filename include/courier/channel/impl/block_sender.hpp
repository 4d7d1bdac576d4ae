#pragma once
/// \file
/// BlockSender's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/channel/detail/block_sender.hpp"

namespace courier::detail {

COURIER_DECL void BlockSender::start(std::uint16_t seq, std::size_t size) noexcept {
  seq_ = seq;
  size_ = size;
  count_ = static_cast<std::uint16_t>((size + block_fragment_bytes - 1) / block_fragment_bytes);
  std::fill(acked_.begin(), acked_.end(), 0);
  std::fill(pending_.begin(), pending_.end(), 0);
  for (std::size_t i = 0; i < count_; ++i) pending_[i / 64] |= bit(i);
  acked_count_ = 0;
  active_ = true;
}

COURIER_DECL void BlockSender::write(ChunkWriter& w, std::uint32_t id, std::span<const std::byte> data, std::uint8_t channel, SendContext& ctx) noexcept {
  for (std::size_t word = 0; word < pending_.size(); ++word) {
    while (pending_[word] != 0) {
      const std::size_t i = word * 64 + static_cast<std::size_t>(std::countr_zero(pending_[word]));
      const std::size_t offset = i * block_fragment_bytes;
      const auto piece = data.subspan(offset, std::min(block_fragment_bytes, size_ - offset));
      if (ctx.refs.full()) return;
      const WireFragment f{channel, seq_, id, static_cast<std::uint16_t>(i), count_, piece};
      if (!w.add_fragment(f)) return;
      pending_[word] &= ~bit(i);
      last_packet_[i] = ctx.packet;
      ctx.refs.push({channel, RefKind::block_fragment, seq_, static_cast<std::uint32_t>(i)});
    }
  }
}

COURIER_DECL bool BlockSender::ack(std::uint16_t seq, std::uint32_t i) noexcept {
  if (!active_for(seq) || i >= count_ || (acked_[i / 64] & bit(i)) != 0) return false;
  acked_[i / 64] |= bit(i);
  pending_[i / 64] &= ~bit(i);
  if (++acked_count_ < count_) return false;
  active_ = false;
  return true;
}

}  // namespace courier::detail
