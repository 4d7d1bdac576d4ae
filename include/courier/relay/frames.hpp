#pragma once
/// \file
/// Relay frames: what clients and the server say to each other about virtual sockets, on the
/// relay channel of a pack with Relay<...> (docs/PROTOCOL.md Part 4). Each frame is one
/// message on that channel: its message id is the frame type, its bytes the fields below,
/// little-endian. Readers check the exact size of every fixed frame.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "courier/relay/virtual_address.hpp"
#include "courier/core/little_endian.hpp"

namespace courier {

/// Identifies a virtual socket on the server (random, non-zero).
using RelaySocketId = std::uint32_t;

/// Why a connect never became a socket.
enum class RelayFailure : std::uint8_t {
  target_offline = 0,      ///< no client holds that virtual address now
  port_not_listening = 1,  ///< the target does not listen on that port
  denied = 2,              ///< the target's application said no
  timed_out = 3,           ///< the target did not answer in time
  limit_exceeded = 4,      ///< this client has too many sockets or pending connects
  invalid_target = 5,      ///< its own address, or not a virtual address
};

/// Why a socket closed.
enum class RelayCloseReason : std::uint8_t {
  by_peer = 0,            ///< the other end closed it
  peer_disconnected = 1,  ///< the other end's connection to the server ended
  idle_timeout = 2,       ///< no data either way for the server's idle time
  overflow = 3,           ///< the server could not forward data (the receiver's queue was full)
  cancelled = 4,          ///< a pending connect was given up (its initiator closed or left, or it timed out)
  by_self = 5,            ///< this side called close()
};

/// An error about this client's own use of the relay.
enum class RelayError : std::uint8_t {
  rate_limited = 0,  ///< data over the bytes-per-second limit was dropped
};

[[nodiscard]] constexpr const char* describe(RelayFailure f) noexcept {
  switch (f) {
    case RelayFailure::target_offline: return "target offline";
    case RelayFailure::port_not_listening: return "port not listening";
    case RelayFailure::denied: return "denied";
    case RelayFailure::timed_out: return "timed out";
    case RelayFailure::limit_exceeded: return "limit exceeded";
    case RelayFailure::invalid_target: return "invalid target";
  }
  return "unknown";
}
[[nodiscard]] constexpr const char* describe(RelayError e) noexcept {
  switch (e) {
    case RelayError::rate_limited: return "rate limited";
  }
  return "unknown";
}
[[nodiscard]] constexpr const char* describe(RelayCloseReason r) noexcept {
  switch (r) {
    case RelayCloseReason::by_peer: return "closed by peer";
    case RelayCloseReason::peer_disconnected: return "peer disconnected";
    case RelayCloseReason::idle_timeout: return "idle timeout";
    case RelayCloseReason::overflow: return "overflow";
    case RelayCloseReason::cancelled: return "cancelled";
    case RelayCloseReason::by_self: return "closed here";
  }
  return "unknown";
}

namespace detail {

/// Frame types = message ids on the relay channel. 0–4 travel client → server, 5–11 server → client.
enum class RelayFrame : std::uint32_t {
  connect = 0,      ///< u32 request, u32 target address, u16 port
  accept = 1,       ///< u32 socket
  refuse = 2,       ///< u32 socket, u8 RelayFailure (denied or port_not_listening)
  data = 3,         ///< u32 socket, then the data
  close = 4,        ///< u32 socket
  assigned = 5,     ///< u32 this client's virtual address
  incoming = 6,     ///< u32 socket, u32 initiator's address, u16 port
  established = 7,  ///< u32 request, u32 socket, u32 target's address
  failed = 8,       ///< u32 request, u8 RelayFailure
  data_in = 9,      ///< u32 socket, then the data
  closed = 10,      ///< u32 socket, u8 RelayCloseReason
  error = 11,       ///< u8 RelayError, u32 socket
};
inline constexpr std::uint32_t relay_frame_count = 12;

[[nodiscard]] constexpr bool client_to_server(RelayFrame f) noexcept { return static_cast<std::uint32_t>(f) <= 4; }

/// Largest data one relay send carries; the whole frame fits one packet (no block buffers).
inline constexpr std::size_t relay_max_data_bytes = 1000;
inline constexpr std::size_t relay_max_frame_bytes = 4 + relay_max_data_bytes;

/// Fixed size of each frame (data frames: the minimum, 4).
[[nodiscard]] constexpr std::size_t relay_frame_size(RelayFrame f) noexcept {
  switch (f) {
    case RelayFrame::connect: return 10;
    case RelayFrame::accept: return 4;
    case RelayFrame::refuse: return 5;
    case RelayFrame::data: return 4;
    case RelayFrame::close: return 4;
    case RelayFrame::assigned: return 4;
    case RelayFrame::incoming: return 10;
    case RelayFrame::established: return 12;
    case RelayFrame::failed: return 5;
    case RelayFrame::data_in: return 4;
    case RelayFrame::closed: return 5;
    case RelayFrame::error: return 5;
  }
  return 0;
}

/// True when `bytes` has the right size for frame `id` (data frames: 4 + 1..relay_max_data_bytes).
[[nodiscard]] constexpr bool relay_frame_valid(std::uint32_t id, std::span<const std::byte> bytes) noexcept {
  if (id >= relay_frame_count) return false;
  const auto f = static_cast<RelayFrame>(id);
  if (f == RelayFrame::data || f == RelayFrame::data_in)
    return bytes.size() > 4 && bytes.size() <= relay_max_frame_bytes;
  return bytes.size() == relay_frame_size(f);
}

/// Builds a frame in a small fixed buffer.
struct RelayFrameWriter {
  std::array<std::byte, 16> bytes{};
  std::size_t size = 0;
  RelayFrameWriter& u8(std::uint8_t v) noexcept { bytes[size++] = std::byte{v}; return *this; }
  RelayFrameWriter& u16(std::uint16_t v) noexcept { put_le(bytes.data() + size, v); size += 2; return *this; }
  RelayFrameWriter& u32(std::uint32_t v) noexcept { put_le(bytes.data() + size, v); size += 4; return *this; }
  [[nodiscard]] std::span<const std::byte> span() const noexcept { return {bytes.data(), size}; }
};

}  // namespace detail
}  // namespace courier
