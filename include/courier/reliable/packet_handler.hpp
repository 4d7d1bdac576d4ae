#pragma once
/// \file
/// What ReliableEndpoint asks of the layer above: the `PacketEvents` and `PacketHandler`
/// concepts.
///
/// | expression               | type            | meaning                                          |
/// |--------------------------|-----------------|--------------------------------------------------|
/// | `e.on_acked(seq)`        | `void`          | the peer acked packet `seq`; called once per packet |
/// | `e.on_lost(seq)`         | `void`          | packet `seq` was declared lost; once per packet, never after `on_acked` |
/// | `h.on_payload(seq, body)`| `PayloadVerdict`| a new packet's body; accept, refuse (not acked, the peer resends) or report a violation |
///
/// Optionally, `e.on_ack_header(ack, ack_bits)` is called before the acks of each received
/// header, newest packet first, so the layer above can tell what else the peer had received;
/// and `e.on_late_ack(seq)` when an ack comes for a packet already reported lost (it did
/// arrive, behind a queue: the send-rate controller counts it delivered).
/// All are `noexcept`: they run on the wire path.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>

namespace courier {

/// How the layer above answers a packet body.
enum class PayloadVerdict : std::uint8_t {
  accept,     ///< processed; the packet will be acked
  refuse,     ///< no room now (receive queues full): not acked, so the peer resends it
  violation,  ///< the body breaks the protocol; the connection layer disconnects the peer
};

template <class E>
concept PacketEvents = requires(E& e, std::uint16_t seq) {
  { e.on_acked(seq) } noexcept;
  { e.on_lost(seq) } noexcept;
};

template <class H>
concept PacketHandler = PacketEvents<H> &&
    requires(H& h, std::uint16_t seq, std::span<const std::byte> body) {
  { h.on_payload(seq, body) } noexcept -> std::same_as<PayloadVerdict>;
};

}  // namespace courier
