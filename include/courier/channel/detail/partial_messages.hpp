#pragma once
/// \file
/// PartialMessages: reassembly of an unreliable channel's fragmented messages. Unreliable
/// fragments are sent once and never resent, so a message is delivered whole or not at all
/// (all-or-nothing, like a fragmented IP datagram, RFC 791). Memory is fixed at construction:
/// `max_partial_messages` buffers of max_message_bytes, resident only as far as written. A
/// partial message is abandoned, and counted `incomplete`, once that many newer messages of
/// the channel have begun (its missing fragments were lost: they were sent before the newer
/// ones' and are never resent) or when its buffer is needed by a newer message. The parser
/// bounds-checked every fragment (index < count, exact sizes, total within max_message_bytes).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "courier/channel/channel_config.hpp"
#include "courier/channel/detail/payload_format.hpp"
#include "courier/core/config.hpp"
#include "courier/core/drop_reason.hpp"
#include "courier/core/lazy_table.hpp"
#include "courier/reliable/byte_buffer.hpp"

namespace courier::detail {

class PartialMessages {
 public:
  /// `c` is a resolved configuration; a channel without fragmented messages gets no buffers.
  explicit PartialMessages(const ChannelConfig& c);

  /// Adds a fragment; returns the slot holding its message once the message is complete (the
  /// slot stays taken until `release`). Duplicates and fragments of abandoned messages are
  /// counted in `drops`.
  std::optional<std::uint8_t> add(const WireFragment& f, DropCounters& drops) noexcept;

  /// The complete message of `slot`; valid until the slot is reused after `release`.
  [[nodiscard]] std::span<const std::byte> data(std::uint8_t slot) const noexcept {
    return {buffers_.data() + slot * max_bytes_, slots_[slot].size};
  }
  void release(std::uint8_t slot) noexcept { slots_[slot].state = State::empty; }

 private:
  enum class State : std::uint8_t { empty, assembling, complete };
  struct Slot {
    State state = State::empty;
    std::uint16_t sequence = 0;
    std::uint16_t count = 0;
    std::uint16_t received = 0;
    std::uint32_t id = 0;
    std::uint32_t size = 0;
  };

  [[nodiscard]] std::optional<std::uint8_t> find(const WireFragment& f) const noexcept;
  std::optional<std::uint8_t> start(const WireFragment& f, DropCounters& drops) noexcept;
  void expire_older_than(std::uint16_t sequence, DropCounters& drops) noexcept;
  bool mark(std::uint8_t slot, std::uint16_t index) noexcept;  // false when seen before

  std::size_t max_bytes_;
  std::size_t words_;                  // bitmap words per slot
  LazyTable<Slot> slots_;
  std::vector<std::uint64_t> bits_;    // which fragments each slot received
  ByteBuffer buffers_;                 // held as far as fragments were written
  std::uint16_t newest_ = 0;           // newest message sequence begun
  bool any_ = false;
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/channel/impl/partial_messages.hpp"
#endif
