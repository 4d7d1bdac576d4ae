#pragma once
/// \file
/// ChannelReceiver: the receive side of one channel, in fixed slots of max_inline_bytes.
///
/// Reliable channels keep a window of receive_queue_capacity sequences: ordered delivery waits
/// at the first gap, unordered delivers in arrival order; a message already delivered or held
/// is a duplicate. A message beyond the window (the application is not draining) makes the
/// whole packet refused, so it is not acked and the peer resends it later — backpressure rather
/// than loss. Unreliable channels keep a FIFO: a full one drops (counted); a sequenced one drops
/// anything not newer than the newest accepted. Packets are checked (`check`, const) before
/// anything is applied (`apply`), so a refused packet changes nothing.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

#include "courier/channel/channel_config.hpp"
#include "courier/channel/detail/block_receiver.hpp"
#include "courier/channel/detail/payload_format.hpp"
#include "courier/channel/received_message.hpp"
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
        block_(c) {}

  [[nodiscard]] PayloadVerdict check(const WireMessage& m) const noexcept {
    if (!is_reliable(mode_)) return PayloadVerdict::accept;
    return classify(m.sequence) == Place::refuse ? PayloadVerdict::refuse : PayloadVerdict::accept;
  }

  [[nodiscard]] PayloadVerdict check(const WireFragment& f) const noexcept {
    const Place p = classify(f.sequence);
    if (p != Place::fresh) return p == Place::refuse ? PayloadVerdict::refuse : PayloadVerdict::accept;
    if (block_.assembling(f.sequence))
      return block_.consistent(f) ? PayloadVerdict::accept : PayloadVerdict::violation;
    return block_.idle() ? PayloadVerdict::accept : PayloadVerdict::refuse;
  }

  void apply(const WireMessage& m, DropCounters& drops) noexcept {
    if (!is_reliable(mode_)) {
      apply_unreliable(m, drops);
      return;
    }
    const Place p = classify(m.sequence);
    if (p == Place::fresh) store(m.sequence, m.id, m.bytes, State::stored);
    else drops.count(p == Place::duplicate ? DropReason::duplicate : DropReason::queue_full);
  }

  /// Returns violation for a fragment that contradicts another of the same packet.
  PayloadVerdict apply(const WireFragment& f, DropCounters& drops) noexcept {
    const Place p = classify(f.sequence);
    if (p != Place::fresh) {
      drops.count(p == Place::duplicate ? DropReason::duplicate : DropReason::queue_full);
      return PayloadVerdict::accept;
    }
    if (!block_.idle() && !block_.assembling(f.sequence)) {
      drops.count(DropReason::queue_full);
      return PayloadVerdict::accept;
    }
    if (block_.assembling(f.sequence) && !block_.consistent(f)) return PayloadVerdict::violation;
    bool duplicate = false;
    if (block_.add(f, duplicate)) store(f.sequence, f.id, block_.data(), State::block);
    if (duplicate) drops.count(DropReason::duplicate);
    return PayloadVerdict::accept;
  }

  /// The next deliverable message, viewed in place until the next non-const call.
  std::optional<ReceivedMessage> receive() noexcept {
    switch (mode_) {
      case ChannelMode::reliable_ordered: {
        Slot& s = slot(next_);
        if (s.sequence != next_ || (s.state != State::stored && s.state != State::block)) return std::nullopt;
        ++next_;
        return take(s, State::empty);
      }
      case ChannelMode::reliable_unordered: {
        if (arrival_count_ == 0) return std::nullopt;
        const std::uint16_t seq = arrivals_[arrival_head_];
        arrival_head_ = (arrival_head_ + 1) % arrivals_.size();
        --arrival_count_;
        return take(slot(seq), State::taken);
      }
      default: {
        if (fifo_count_ == 0) return std::nullopt;
        Slot& s = slots_[fifo_head_];
        fifo_head_ = (fifo_head_ + 1) % slots_.size();
        --fifo_count_;
        return take(s, State::empty);
      }
    }
  }

 private:
  enum class State : std::uint8_t { empty, stored, block, taken };
  enum class Place : std::uint8_t { fresh, duplicate, refuse };
  struct Slot {
    std::uint16_t sequence = 0;
    State state = State::empty;
    std::uint32_t id = 0;
    std::uint32_t size = 0;
  };

  Slot& slot(std::uint16_t seq) noexcept { return slots_[seq & (slots_.size() - 1)]; }
  const Slot& slot(std::uint16_t seq) const noexcept { return slots_[seq & (slots_.size() - 1)]; }
  std::byte* bytes_of(const Slot& s) noexcept {
    return data_.data() + static_cast<std::size_t>(&s - slots_.data()) * slot_bytes_;
  }
  static bool held(State s) noexcept { return s == State::stored || s == State::block; }

  [[nodiscard]] Place classify(std::uint16_t seq) const noexcept {
    const std::uint16_t start = mode_ == ChannelMode::reliable_ordered ? next_ : base_;
    if (sequence_less_than(seq, start)) return Place::duplicate;
    if (sequence_distance(seq, start) >= slots_.size()) return Place::refuse;
    const Slot& s = slot(seq);
    if (s.state != State::empty && s.sequence == seq) return Place::duplicate;
    return held(s.state) ? Place::refuse : Place::fresh;
  }

  void store(std::uint16_t seq, std::uint32_t id, std::span<const std::byte> bytes, State state) noexcept {
    Slot& s = slot(seq);
    s = Slot{seq, state, id, static_cast<std::uint32_t>(bytes.size())};
    if (state == State::stored && !bytes.empty()) std::memcpy(bytes_of(s), bytes.data(), bytes.size());
    if (mode_ != ChannelMode::reliable_unordered) return;
    arrivals_[(arrival_head_ + arrival_count_) % arrivals_.size()] = seq;
    ++arrival_count_;
    while (slot(base_).sequence == base_ && slot(base_).state != State::empty) ++base_;
  }

  void apply_unreliable(const WireMessage& m, DropCounters& drops) noexcept {
    if (mode_ == ChannelMode::unreliable_sequenced) {
      if (have_newest_ && !sequence_greater_than(m.sequence, newest_)) {
        drops.count(DropReason::stale);
        return;
      }
      have_newest_ = true;
      newest_ = m.sequence;
      if (fifo_count_ == slots_.size()) {  // newest wins: the oldest waiting one goes
        drops.count(DropReason::stale);
        fifo_head_ = (fifo_head_ + 1) % slots_.size();
        --fifo_count_;
      }
    } else if (fifo_count_ == slots_.size()) {
      drops.count(DropReason::queue_full);
      return;
    }
    Slot& s = slots_[(fifo_head_ + fifo_count_) % slots_.size()];
    ++fifo_count_;
    s = Slot{m.sequence, State::stored, m.id, static_cast<std::uint32_t>(m.bytes.size())};
    if (!m.bytes.empty()) std::memcpy(bytes_of(s), m.bytes.data(), m.bytes.size());
  }

  ReceivedMessage take(Slot& s, State after) noexcept {
    ReceivedMessage r{s.id, {}};
    if (s.state == State::block) {
      r.bytes = block_.data();
      block_.release();
    } else {
      r.bytes = {bytes_of(s), s.size};
    }
    s.state = after;
    return r;
  }

  ChannelMode mode_;
  std::size_t slot_bytes_;
  LazyTable<Slot> slots_;  // by sequence (reliable) or a ring (unreliable), from index 0 on
  ByteBuffer data_;  // uninitialised: slots are written before they are read
  LazyTable<std::uint16_t> arrivals_;
  std::size_t arrival_head_ = 0, arrival_count_ = 0;
  std::size_t fifo_head_ = 0, fifo_count_ = 0;
  BlockReceiver block_;
  std::uint16_t next_ = 0;  // ordered: next to deliver
  std::uint16_t base_ = 0;  // unordered: oldest not received
  std::uint16_t newest_ = 0;
  bool have_newest_ = false;
};

}  // namespace courier::detail
