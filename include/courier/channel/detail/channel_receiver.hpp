#pragma once
/// \file
/// ChannelReceiver: the receive side of one channel, in slots of up to max_inline_bytes.
///
/// Reliable channels keep a window of receive_queue_capacity sequences: ordered delivery waits
/// at the first gap, unordered delivers in arrival order; a message already delivered or held
/// is a duplicate. A message beyond the window (the application is not draining) makes the
/// whole packet refused, so it is not acked and the peer resends it later — backpressure rather
/// than loss. Unreliable channels keep a FIFO: a full one drops (counted); a sequenced one drops
/// anything not newer than the newest accepted. Their fragmented messages are reassembled by
/// PartialMessages and enter the FIFO when complete. Packets are checked (`check`, const) before
/// anything is applied (`apply`), so a refused packet changes nothing.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "courier/channel/channel_config.hpp"
#include "courier/channel/detail/block_receiver.hpp"
#include "courier/channel/detail/partial_messages.hpp"
#include "courier/channel/detail/payload_format.hpp"
#include "courier/channel/received_message.hpp"
#include "courier/core/config.hpp"
#include "courier/core/drop_reason.hpp"
#include "courier/core/lazy_table.hpp"
#include "courier/reliable/byte_buffer.hpp"
#include "courier/reliable/packet_handler.hpp"
#include "courier/reliable/sequence.hpp"

namespace courier::detail {

class ChannelReceiver {
 public:
  /// `c` is a resolved, validated configuration.
  explicit ChannelReceiver(const ChannelConfig& c)
      : mode_(c.mode), slot_bytes_(c.max_inline_bytes), slots_(c.receive_queue_capacity),
        data_(c.receive_queue_capacity * c.max_inline_bytes),
        arrivals_(c.mode == ChannelMode::reliable_unordered ? c.receive_queue_capacity : 0),
        block_(c), partials_(c) {}

  [[nodiscard]] PayloadVerdict check(const WireMessage& m) const noexcept {
    if (!is_reliable(mode_)) return PayloadVerdict::accept;
    return classify(m.sequence) == Place::refuse ? PayloadVerdict::refuse : PayloadVerdict::accept;
  }

  /// Unreliable fragments are always accepted: they are never resent, so refusing the packet
  /// would only lose them.
  [[nodiscard]] PayloadVerdict check(const WireFragment& f) const noexcept;

  void apply(const WireMessage& m, DropCounters& drops) noexcept;

  /// Returns violation for a fragment that contradicts another of the same packet.
  PayloadVerdict apply(const WireFragment& f, DropCounters& drops) noexcept;

  /// The next deliverable message, viewed in place until the next non-const call.
  std::optional<ReceivedMessage> receive() noexcept;

 private:
  enum class State : std::uint8_t { empty, stored, block, taken };
  enum class Place : std::uint8_t { fresh, duplicate, refuse };
  struct Slot {
    std::uint16_t sequence = 0;
    State state = State::empty;
    std::uint32_t id = 0;
    std::uint32_t size = 0;
    std::uint8_t part = 0;  // unreliable State::block: its PartialMessages slot
  };

  Slot& slot(std::uint16_t seq) noexcept { return slots_[seq & (slots_.size() - 1)]; }
  const Slot& slot(std::uint16_t seq) const noexcept { return slots_[seq & (slots_.size() - 1)]; }
  [[nodiscard]] std::size_t offset_of(const Slot& s) const noexcept {
    return static_cast<std::size_t>(&s - slots_.data()) * slot_bytes_;
  }
  // The stored bytes of `s` (written by `write_bytes`).
  const std::byte* bytes_of(const Slot& s) const noexcept { return data_.data() + offset_of(s); }
  void write_bytes(const Slot& s, std::span<const std::byte> bytes) noexcept {
    if (bytes.empty()) return;
    const std::size_t at = offset_of(s);
    std::memcpy(data_.reach(at + bytes.size()) + at, bytes.data(), bytes.size());
  }
  static bool held(State s) noexcept { return s == State::stored || s == State::block; }

  [[nodiscard]] Place classify(std::uint16_t seq) const noexcept;

  void store(std::uint16_t seq, std::uint32_t id, std::span<const std::byte> bytes, State state) noexcept;

  void apply_unreliable(const WireMessage& m, DropCounters& drops) noexcept;

  void apply_unreliable(const WireFragment& f, DropCounters& drops) noexcept;

  // The FIFO slot an unreliable message of `seq` goes into, after the sequenced rule and the
  // queue bound; nullptr (counted) when it is dropped.
  Slot* admit_unreliable(std::uint16_t seq, DropCounters& drops) noexcept;

  void discard(Slot& s) noexcept;

  ReceivedMessage take(Slot& s, State after) noexcept;

  ChannelMode mode_;
  std::size_t slot_bytes_;
  LazyTable<Slot> slots_;  // by sequence (reliable) or a ring (unreliable), from index 0 on
  ByteBuffer data_;  // slot i's bytes at i * slot_bytes_; held as far as slots were written
  LazyTable<std::uint16_t> arrivals_;
  std::size_t arrival_head_ = 0, arrival_count_ = 0;
  std::size_t fifo_head_ = 0, fifo_count_ = 0;
  BlockReceiver block_;
  PartialMessages partials_;
  std::uint16_t next_ = 0;  // ordered: next to deliver
  std::uint16_t base_ = 0;  // unordered: oldest not received
  std::uint16_t newest_ = 0;
  bool have_newest_ = false;
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/channel/impl/channel_receiver.hpp"
#endif
