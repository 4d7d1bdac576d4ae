#pragma once
/// \file
/// ReliableEndpoint's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/reliable/endpoint.hpp"

namespace courier {

COURIER_DECL std::size_t ReliableEndpoint::begin_packet(std::span<std::byte> out) const noexcept {
  if (out.size() < PacketHeader::max_bytes) return 0;
  PacketHeader h;
  h.sequence = next_sequence_;
  h.eliciting = true;
  h.has_ack = received_.any();
  if (h.has_ack) {
    h.ack = received_.newest();
    for (std::uint16_t i = 0; i < 32; ++i)
      if (received_.exists(static_cast<std::uint16_t>(h.ack - 1 - i))) h.ack_bits |= 1u << i;
  }
  return h.write(out);
}

COURIER_DECL std::size_t ReliableEndpoint::next_fragment(TimePoint now, std::span<std::byte> out) noexcept {
  if (!fragments_pending() || out.size() < max_datagram_payload_bytes) return 0;
  const std::size_t offset = fragment_next_ * packet_fragment_bytes;
  const std::size_t n = std::min(packet_fragment_bytes, fragment_size_ - offset);
  FragmentHeader h{fragment_sequence_, static_cast<std::uint8_t>(fragment_next_),
                   static_cast<std::uint16_t>(fragment_total_)};
  const std::size_t head = h.write(out);
  std::memcpy(out.data() + head, staging_.data() + offset, n);
  ++fragment_next_;
  ++stats_.fragments_sent;
  sent_meter_.add(now, head + n);
  return head + n;
}

COURIER_DECL bool ReliableEndpoint::fresh(std::uint16_t seq) noexcept {
  if (received_.too_old(seq)) {
    stats_.drops.count(DropReason::out_of_window);
    return false;
  }
  if (received_.exists(seq)) {
    stats_.drops.count(DropReason::duplicate);
    return false;
  }
  return true;
}

COURIER_DECL void ReliableEndpoint::refresh_stats() noexcept {
  stats_.rtt = rtt_.smoothed();
  stats_.min_rtt = rtt_.min();
  stats_.latest_rtt = rtt_.latest();
  stats_.jitter = rtt_.jitter();
  stats_.sent_kbps = sent_meter_.kbps();
  stats_.received_kbps = received_meter_.kbps();
  stats_.acked_kbps = acked_meter_.kbps();
}

}  // namespace courier
