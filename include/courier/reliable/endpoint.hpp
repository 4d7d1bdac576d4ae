#pragma once
/// \file
/// ReliableEndpoint: packet sequence numbers, acks, link estimates and packet fragmentation, on
/// payload bytes only (after reliable.io). It knows nothing of sockets, crypto or messages: the
/// layer above writes bodies, hands the endpoint the datagrams it reads, and hears once per sent
/// packet whether the packet was acked or lost.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <system_error>
#include <vector>

#include "courier/core/byte_cursor.hpp"
#include "courier/core/config.hpp"
#include "courier/core/error.hpp"
#include "courier/reliable/byte_buffer.hpp"
#include "courier/reliable/endpoint_config.hpp"
#include "courier/reliable/endpoint_stats.hpp"
#include "courier/reliable/link_estimators.hpp"
#include "courier/reliable/packet_handler.hpp"
#include "courier/reliable/packet_header.hpp"
#include "courier/reliable/reassembly.hpp"
#include "courier/reliable/sequence_buffer.hpp"

namespace courier {

/// One side of a reliable link. Writing: `begin_packet` writes the header, the caller appends a
/// body, `end_packet` records the packet; a packet over one datagram (built in `staging()`) is
/// then drained with `next_fragment`. Reading: `read_packet` dedupes, reassembles, hands new
/// bodies to the handler and processes the acks. Memory is allocated once, at construction.
class ReliableEndpoint {
 public:
  /// Throws std::invalid_argument for a configuration out of range.
  explicit ReliableEndpoint(const EndpointConfig& config = {})
      : config_((config.validate(), config)),
        sent_(config.sent_packets),
        received_(config.received_packets),
        reassembly_(config.max_packets_in_reassembly, config.max_fragments()),
        staging_(config.max_packet_bytes),
        rtt_(config.initial_rtt) {
    refresh_stats();
  }

  [[nodiscard]] const EndpointConfig& config() const noexcept { return config_; }
  [[nodiscard]] const EndpointStats& stats() const noexcept { return stats_; }
  [[nodiscard]] std::uint16_t next_sequence() const noexcept { return next_sequence_; }

  /// Buffer for a packet that may exceed one datagram (`max_packet_bytes`).
  [[nodiscard]] std::span<std::byte> staging() { return {staging_.reach(staging_.size()), staging_.size()}; }

  // ---- sending -------------------------------------------------------------------------------

  /// Writes the header of the next packet at the front of `out`; returns its size (0 when `out`
  /// is shorter than PacketHeader::max_bytes). The body follows it.
  std::size_t begin_packet(std::span<std::byte> out) const noexcept;

  /// Records the packet `packet` (header from `begin_packet` + body of `packet.size() -
  /// header_bytes` bytes) as sent and returns its sequence. An empty body makes an ack-only
  /// packet, which asks for no ack. A packet over one datagram must live in `staging()`.
  template <PacketEvents E>
  std::uint16_t end_packet(TimePoint now, std::span<std::byte> packet, std::size_t header_bytes,
                           E& events) noexcept {
    const bool eliciting = packet.size() > header_bytes;
    if (!eliciting) {
      packet[0] &= ~std::byte{PacketHeader::eliciting_flag};
      ++stats_.ack_only_packets_sent;
    }
    const std::uint16_t seq = next_sequence_++;
    make_room(seq, events);
    SentPacket* p = sent_.insert(seq);
    p->time = now;
    p->bytes = static_cast<std::uint32_t>(packet.size());
    p->eliciting = eliciting;
    pending_acks_ = 0;
    ++stats_.packets_sent;
    if (packet.size() > max_datagram_payload_bytes) {
      fragment_sequence_ = seq;
      fragment_total_ = (packet.size() + packet_fragment_bytes - 1) / packet_fragment_bytes;
      fragment_next_ = 0;
      fragment_size_ = packet.size();
    } else {
      sent_meter_.add(now, packet.size());
    }
    return seq;
  }

  [[nodiscard]] bool fragments_pending() const noexcept { return fragment_next_ < fragment_total_; }

  /// Writes the next fragment of the staged packet into `out` (≥ 1200 bytes); returns its size.
  std::size_t next_fragment(TimePoint now, std::span<std::byte> out) noexcept;

  /// Sends `body` as one packet: each datagram (the packet, or its fragments) goes to
  /// `emit(std::span<const std::byte>)`. Refuses a body over `max_packet_bytes` minus the header.
  template <PacketEvents E, class Emit>
  std::error_code send_packet(TimePoint now, std::span<const std::byte> body, E& events,
                              Emit&& emit) noexcept {
    const std::span<std::byte> staging = this->staging();
    const std::size_t head = begin_packet(staging);
    if (body.size() > staging.size() - head) return Error::message_too_large;
    if (!body.empty()) std::memcpy(staging.data() + head, body.data(), body.size());
    const std::span<std::byte> packet = staging.first(head + body.size());
    end_packet(now, packet, head, events);
    if (!fragments_pending()) {
      emit(std::span<const std::byte>(packet));
      return {};
    }
    std::array<std::byte, max_datagram_payload_bytes> out;
    while (fragments_pending()) emit(std::span<const std::byte>(out.data(), next_fragment(now, out)));
    return {};
  }

  /// True when an ack-only packet is due: packets asking for acks wait, and either enough of
  /// them arrived or the oldest waited `max_ack_delay`. Ack-only packets never make this true
  /// on the other side, so two idle endpoints do not ack each other's acks.
  [[nodiscard]] bool ack_due(TimePoint now) const noexcept {
    return pending_acks_ > 0 &&
           (pending_acks_ >= config_.ack_after_packets || now - first_pending_ack_ >= config_.max_ack_delay);
  }

  /// Packets asking for an ack that arrived since the last packet this side wrote.
  [[nodiscard]] std::size_t pending_acks() const noexcept { return pending_acks_; }

  /// Nothing under way: every packet sent was acked or lost, no ack is owed, no fragment of a
  /// large packet waits. `update` has nothing to do for a quiet endpoint until it reads or writes.
  [[nodiscard]] bool quiet() const noexcept {
    return pending_acks_ == 0 && oldest_unresolved_ == next_sequence_ && !fragments_pending();
  }

  // ---- receiving -----------------------------------------------------------------------------

  /// Reads one datagram from the connection layer. Duplicates, stale packets and overflow are
  /// dropped and counted; a structurally invalid datagram returns Error::protocol_violation.
  template <PacketHandler H>
  std::error_code read_packet(TimePoint now, std::span<const std::byte> datagram, H& handler) noexcept {
    received_meter_.add(now, datagram.size());
    if (datagram.empty()) return violation(DropReason::too_small);
    if (datagram.size() > max_datagram_payload_bytes) return violation(DropReason::too_large);
    if ((std::to_integer<std::uint8_t>(datagram[0]) & PacketHeader::fragment_flag) != 0)
      return read_fragment(now, datagram, handler);
    return read_regular(now, datagram, nullptr, handler);
  }

  /// Declares packets lost whose time is up and closes rate windows; call once per tick.
  template <PacketEvents E>
  void update(TimePoint now, E& events) noexcept {
    detect_losses(now, events);
    sent_meter_.roll(now);
    received_meter_.roll(now);
    acked_meter_.roll(now);
    refresh_stats();
  }

  /// How long a packet overtaken by acked newer ones may still be reordered: srtt + 2·jitter.
  /// Jitter reorders packets, so "newer ones were acked" alone would declare losses too early.
  [[nodiscard]] Duration reorder_timeout() const noexcept { return rtt_.smoothed() + 2 * rtt_.jitter(); }

  /// How long a packet may go unacked before it is lost: srtt + 4·jitter + max_ack_delay.
  [[nodiscard]] Duration loss_timeout() const noexcept {
    const Duration t = rtt_.smoothed() + 4 * rtt_.jitter() + config_.max_ack_delay;
    return std::clamp(t, config_.min_loss_timeout, config_.max_loss_timeout);
  }

 private:
  enum class State : std::uint8_t { in_flight, acked, lost, lost_then_acked };
  struct SentPacket {
    TimePoint time{};
    std::uint32_t bytes = 0;
    bool eliciting = false;
    State state = State::in_flight;
  };

  std::error_code violation(DropReason r) noexcept {
    stats_.drops.count(r);
    return Error::protocol_violation;
  }

  template <PacketHandler H>
  std::error_code read_fragment(TimePoint now, std::span<const std::byte> datagram, H& handler) noexcept {
    detail::ByteReader r(datagram);
    const auto h = FragmentHeader::read(r);
    const auto data = datagram.subspan(r.position());
    if (!h || h->count < 2 || h->count > config_.max_fragments() || h->index >= h->count)
      return violation(DropReason::malformed);
    const bool last = h->index + 1 == h->count;
    const bool size_ok = last ? !data.empty() && data.size() <= packet_fragment_bytes
                              : data.size() == packet_fragment_bytes;
    if (!size_ok || h->index * packet_fragment_bytes + data.size() > config_.max_packet_bytes)
      return violation(DropReason::malformed);
    if (!fresh(h->sequence)) return {};
    ++stats_.fragments_received;
    switch (reassembly_.add(*h, data)) {
      case detail::Reassembly::Result::violation: return violation(DropReason::malformed);
      case detail::Reassembly::Result::duplicate: stats_.drops.count(DropReason::duplicate); return {};
      case detail::Reassembly::Result::table_full: stats_.drops.count(DropReason::table_full); return {};
      case detail::Reassembly::Result::incomplete: return {};
      case detail::Reassembly::Result::complete: break;
    }
    return read_regular(now, reassembly_.packet(), &h->sequence, handler);
  }

  // True when `seq` is neither too old for the ack window nor received already (else counted).
  bool fresh(std::uint16_t seq) noexcept;

  template <PacketHandler H>
  std::error_code read_regular(TimePoint now, std::span<const std::byte> bytes,
                               const std::uint16_t* expected, H& handler) noexcept {
    detail::ByteReader r(bytes);
    const auto h = PacketHeader::read(r);
    if (!h || (expected != nullptr && h->sequence != *expected)) return violation(DropReason::malformed);
    const auto body = bytes.subspan(r.position());
    if (h->eliciting == body.empty()) return violation(DropReason::malformed);
    if (!fresh(h->sequence)) return {};
    const PayloadVerdict verdict = h->eliciting ? handler.on_payload(h->sequence, body) : PayloadVerdict::accept;
    if (verdict == PayloadVerdict::violation) return violation(DropReason::malformed);
    process_acks(now, *h, handler);
    if (verdict == PayloadVerdict::refuse) {
      stats_.drops.count(DropReason::queue_full);
      return {};
    }
    received_.insert(h->sequence);
    ++stats_.packets_received;
    if (h->eliciting && pending_acks_++ == 0) first_pending_ack_ = now;
    return {};
  }

  template <PacketEvents E>
  void process_acks(TimePoint now, const PacketHeader& h, E& events) noexcept {
    if (!h.has_ack) return;
    if constexpr (requires { events.on_ack_header(h.ack, h.ack_bits); }) events.on_ack_header(h.ack, h.ack_bits);
    ack_one(now, h.ack, events);
    for (std::uint16_t i = 0; i < 32; ++i)
      if ((h.ack_bits >> i) & 1u) ack_one(now, static_cast<std::uint16_t>(h.ack - 1 - i), events);
    detect_losses(now, events);
    refresh_stats();
  }

  template <PacketEvents E>
  void ack_one(TimePoint now, std::uint16_t seq, E& events) noexcept {
    SentPacket* p = sent_.find(seq);
    if (p == nullptr || p->state == State::acked || p->state == State::lost_then_acked) return;
    if (p->state == State::lost) {
      p->state = State::lost_then_acked;  // the layer above already heard "lost"
      ++stats_.late_acks;
      // Still an RTT sample: a sequence is never sent twice, so there is no ambiguity (Karn's
      // problem); without it a queue that delays packets past the loss timeout would keep the
      // timeout short and every packet "lost".
      rtt_.sample(now - p->time);
      if constexpr (requires { events.on_late_ack(seq); }) events.on_late_ack(seq);
      return;
    }
    p->state = State::acked;
    ++stats_.packets_acked;
    acked_meter_.add(now, p->bytes);
    // Every newly acked packet is a sample: sampling only the newest would favour the packets
    // that overtook others, and bias the RTT (and so every loss timeout) low under jitter.
    rtt_.sample(now - p->time);
    if (p->eliciting) stats_.packet_loss += (0.0 - stats_.packet_loss) / 32.0;
    if (!have_largest_acked_ || sequence_greater_than(seq, largest_acked_)) largest_acked_ = seq;
    have_largest_acked_ = true;
    events.on_acked(seq);
  }

  // Oldest first: the oldest unresolved packet is the first past either threshold.
  template <PacketEvents E>
  void detect_losses(TimePoint now, E& events) noexcept {
    const Duration timeout = loss_timeout();
    while (oldest_unresolved_ != next_sequence_) {
      SentPacket* p = sent_.find(oldest_unresolved_);
      if (p != nullptr && p->state == State::in_flight) {
        const Duration age = now - p->time;
        const bool by_count = have_largest_acked_ &&
                              sequence_greater_than(largest_acked_, oldest_unresolved_) &&
                              sequence_distance(largest_acked_, oldest_unresolved_) >= config_.loss_packet_threshold &&
                              age >= reorder_timeout();
        if (!by_count && age < timeout) return;
        lose(*p, oldest_unresolved_, events);
      }
      ++oldest_unresolved_;
    }
  }

  template <PacketEvents E>
  void lose(SentPacket& p, std::uint16_t seq, E& events) noexcept {
    p.state = State::lost;
    if (p.eliciting) {
      ++stats_.packets_lost;
      stats_.packet_loss += (1.0 - stats_.packet_loss) / 32.0;
    }
    events.on_lost(seq);
  }

  // The slot `seq` reuses may still hold an unresolved packet: it is lost now, and the scan
  // for losses never starts more than a buffer behind.
  template <PacketEvents E>
  void make_room(std::uint16_t seq, E& events) noexcept {
    const auto old_seq = static_cast<std::uint16_t>(seq - sent_.capacity());
    if (SentPacket* old = sent_.find(old_seq); old != nullptr && old->state == State::in_flight)
      lose(*old, old_seq, events);
    if (sequence_distance(seq, oldest_unresolved_) >= sent_.capacity())
      oldest_unresolved_ = static_cast<std::uint16_t>(old_seq + 1);
  }

  void refresh_stats() noexcept;

  EndpointConfig config_;
  SequenceBuffer<SentPacket> sent_;
  SequenceBuffer<char> received_;
  detail::Reassembly reassembly_;
  detail::ByteBuffer staging_;  // held once a packet over one datagram is built
  detail::RttEstimator rtt_;
  detail::RateMeter sent_meter_, received_meter_, acked_meter_;
  EndpointStats stats_;
  std::uint16_t next_sequence_ = 0;
  std::uint16_t oldest_unresolved_ = 0;
  std::uint16_t largest_acked_ = 0;
  bool have_largest_acked_ = false;
  std::size_t pending_acks_ = 0;
  TimePoint first_pending_ack_{};
  std::uint16_t fragment_sequence_ = 0;
  std::size_t fragment_total_ = 0, fragment_next_ = 0, fragment_size_ = 0;
};

}  // namespace courier

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/reliable/impl/endpoint.hpp"
#endif
