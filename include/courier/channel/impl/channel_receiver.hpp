#pragma once
/// \file
/// ChannelReceiver's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/channel/detail/channel_receiver.hpp"

namespace courier::detail {

COURIER_DECL PayloadVerdict ChannelReceiver::check(const WireFragment& f) const noexcept {
  if (!is_reliable(mode_)) return PayloadVerdict::accept;
  const Place p = classify(f.sequence);
  if (p != Place::fresh) return p == Place::refuse ? PayloadVerdict::refuse : PayloadVerdict::accept;
  if (block_.assembling(f.sequence))
    return block_.consistent(f) ? PayloadVerdict::accept : PayloadVerdict::violation;
  return block_.idle() ? PayloadVerdict::accept : PayloadVerdict::refuse;
}

COURIER_DECL void ChannelReceiver::apply(const WireMessage& m, DropCounters& drops) noexcept {
  if (!is_reliable(mode_)) {
    apply_unreliable(m, drops);
    return;
  }
  const Place p = classify(m.sequence);
  if (p == Place::fresh) store(m.sequence, m.id, m.bytes, State::stored);
  else drops.count(p == Place::duplicate ? DropReason::duplicate : DropReason::queue_full);
}

COURIER_DECL PayloadVerdict ChannelReceiver::apply(const WireFragment& f, DropCounters& drops) noexcept {
  if (!is_reliable(mode_)) {
    apply_unreliable(f, drops);
    return PayloadVerdict::accept;
  }
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

COURIER_DECL std::optional<ReceivedMessage> ChannelReceiver::receive() noexcept {
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

COURIER_DECL ChannelReceiver::Place ChannelReceiver::classify(std::uint16_t seq) const noexcept {
  const std::uint16_t start = mode_ == ChannelMode::reliable_ordered ? next_ : base_;
  if (sequence_less_than(seq, start)) return Place::duplicate;
  if (sequence_distance(seq, start) >= slots_.size()) return Place::refuse;
  const Slot& s = slot(seq);
  if (s.state != State::empty && s.sequence == seq) return Place::duplicate;
  return held(s.state) ? Place::refuse : Place::fresh;
}

COURIER_DECL void ChannelReceiver::store(std::uint16_t seq, std::uint32_t id, std::span<const std::byte> bytes, State state) noexcept {
  Slot& s = slot(seq);
  s = Slot{seq, state, id, static_cast<std::uint32_t>(bytes.size())};
  if (state == State::stored) write_bytes(s, bytes);
  if (mode_ != ChannelMode::reliable_unordered) return;
  arrivals_[(arrival_head_ + arrival_count_) % arrivals_.size()] = seq;
  ++arrival_count_;
  while (slot(base_).sequence == base_ && slot(base_).state != State::empty) ++base_;
}

COURIER_DECL void ChannelReceiver::apply_unreliable(const WireMessage& m, DropCounters& drops) noexcept {
  Slot* s = admit_unreliable(m.sequence, drops);
  if (s == nullptr) return;
  *s = Slot{m.sequence, State::stored, m.id, static_cast<std::uint32_t>(m.bytes.size())};
  write_bytes(*s, m.bytes);
}

COURIER_DECL void ChannelReceiver::apply_unreliable(const WireFragment& f, DropCounters& drops) noexcept {
  if (mode_ == ChannelMode::unreliable_sequenced && have_newest_ && !sequence_greater_than(f.sequence, newest_)) {
    drops.count(DropReason::stale);  // a newer message was delivered: this one never will be
    return;
  }
  const std::optional<std::uint8_t> part = partials_.add(f, drops);
  if (!part) return;
  Slot* s = admit_unreliable(f.sequence, drops);
  if (s == nullptr) {
    partials_.release(*part);
    return;
  }
  const auto size = static_cast<std::uint32_t>(partials_.data(*part).size());
  *s = Slot{f.sequence, State::block, f.id, size, *part};
}

COURIER_DECL ChannelReceiver::Slot* ChannelReceiver::admit_unreliable(std::uint16_t seq, DropCounters& drops) noexcept {
  if (mode_ == ChannelMode::unreliable_sequenced) {
    if (have_newest_ && !sequence_greater_than(seq, newest_)) {
      drops.count(DropReason::stale);
      return nullptr;
    }
    have_newest_ = true;
    newest_ = seq;
    if (fifo_count_ == slots_.size()) {  // newest wins: the oldest waiting one goes
      drops.count(DropReason::stale);
      discard(slots_[fifo_head_]);
      fifo_head_ = (fifo_head_ + 1) % slots_.size();
      --fifo_count_;
    }
  } else if (fifo_count_ == slots_.size()) {
    drops.count(DropReason::queue_full);
    return nullptr;
  }
  Slot& s = slots_[(fifo_head_ + fifo_count_) % slots_.size()];
  ++fifo_count_;
  return &s;
}

COURIER_DECL void ChannelReceiver::discard(Slot& s) noexcept {
  if (s.state == State::block && !is_reliable(mode_)) partials_.release(s.part);
  s.state = State::empty;
}

COURIER_DECL ReceivedMessage ChannelReceiver::take(Slot& s, State after) noexcept {
  ReceivedMessage r{s.id, {}};
  if (s.state == State::block && !is_reliable(mode_)) {
    r.bytes = partials_.data(s.part);  // stays intact until the next read_packet reuses the slot
    partials_.release(s.part);
  } else if (s.state == State::block) {
    r.bytes = block_.data();
    block_.release();
  } else {
    if (s.size != 0) r.bytes = {bytes_of(s), s.size};
  }
  s.state = after;
  return r;
}

}  // namespace courier::detail
