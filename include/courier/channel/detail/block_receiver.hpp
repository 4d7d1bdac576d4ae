#pragma once
/// \file
/// BlockReceiver: reassembly of the one block (large message) a reliable channel receives at a
/// time, in a buffer of max_message_bytes held from the first block on (as large as the largest
/// block so far). The fragment was bounds-checked by
/// the parser (index < count, exact sizes, total within max_message_bytes) before it gets here.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "courier/channel/channel_config.hpp"
#include "courier/channel/detail/payload_format.hpp"
#include "courier/core/config.hpp"
#include "courier/reliable/byte_buffer.hpp"

namespace courier::detail {

class BlockReceiver {
 public:
  /// `c` is a resolved configuration; a channel without reliable blocks gets no buffer.
  explicit BlockReceiver(const ChannelConfig& c)
      : data_(is_reliable(c.mode) && c.max_block_fragments() > 0 ? c.max_message_bytes : 0),
        bits_(is_reliable(c.mode) ? (c.max_block_fragments() + 63) / 64 : 0) {}

  [[nodiscard]] bool idle() const noexcept { return state_ == State::idle; }
  [[nodiscard]] bool assembling(std::uint16_t seq) const noexcept {
    return state_ == State::assembling && seq_ == seq;
  }
  /// True when `f` matches the block being assembled (same count and id).
  [[nodiscard]] bool consistent(const WireFragment& f) const noexcept {
    return f.count == count_ && f.id == id_;
  }

  /// Adds a fragment of the block being assembled (or starts one when idle); true when the
  /// block is complete. A fragment seen before returns false and changes nothing.
  bool add(const WireFragment& f, bool& duplicate) noexcept;

  /// The completed block, until `release`.
  [[nodiscard]] std::span<const std::byte> data() const noexcept { return {data_.data(), size_}; }
  void release() noexcept { state_ = State::idle; }

 private:
  enum class State : std::uint8_t { idle, assembling, complete };

  void start(const WireFragment& f) noexcept;

  ByteBuffer data_;  // held as far as the largest block so far
  std::vector<std::uint64_t> bits_;
  State state_ = State::idle;
  std::uint16_t seq_ = 0;
  std::uint16_t count_ = 0;
  std::uint16_t received_ = 0;
  std::uint32_t id_ = 0;
  std::size_t size_ = 0;
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/channel/impl/block_receiver.hpp"
#endif
