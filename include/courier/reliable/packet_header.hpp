#pragma once
/// \file
/// The reliable header that starts every payload, and the fragment header of a packet split
/// over several datagrams (docs/PROTOCOL.md, "Reliable header").
///
/// Regular packet: `flags u8 | sequence u16 | [ack] | [ack bits bytes]`, then the body.
/// flags bit 0 = 0 (regular), bit 1 = the body is not empty (the packet asks to be acked),
/// bits 2..5 = ack-bits byte i is present (an absent byte is 0xFF), bit 6 = ack is one byte
/// (sequence − ack), bit 7 = an ack is present (clear until the first packet arrives).
/// Fragment: `flags u8 = 0x01 | sequence u16 | index u8 | count − 1 u8`, then the data.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "courier/core/byte_cursor.hpp"

namespace courier {

/// The acknowledgement state and sequence that every regular packet carries.
struct PacketHeader {
  std::uint16_t sequence = 0;
  bool eliciting = false;     ///< the packet carries a body and so asks to be acked
  bool has_ack = false;       ///< false until this side has received a packet
  std::uint16_t ack = 0;      ///< newest sequence received from the peer
  std::uint32_t ack_bits = 0; ///< bit i set: packet `ack - 1 - i` was received too

  /// Largest encoding: flags, sequence, two-byte ack, four ack-bits bytes.
  static constexpr std::size_t max_bytes = 9;
  /// Fragment header: flags, sequence, index, count − 1.
  static constexpr std::size_t fragment_header_bytes = 5;

  static constexpr std::uint8_t fragment_flag = 0x01;
  static constexpr std::uint8_t eliciting_flag = 0x02;
  static constexpr std::uint8_t short_ack_flag = 0x40;
  static constexpr std::uint8_t ack_flag = 0x80;

  /// Writes the header; returns its size, or 0 when `out` is too small.
  std::size_t write(std::span<std::byte> out) const noexcept {
    detail::ByteWriter w(out);
    std::uint8_t flags = eliciting ? eliciting_flag : 0;
    const auto diff = static_cast<std::uint16_t>(sequence - ack);
    if (has_ack) {
      flags |= ack_flag;
      if (diff <= 0xFF) flags |= short_ack_flag;
      for (int i = 0; i < 4; ++i)
        if (byte_of(i) != 0xFF) flags |= static_cast<std::uint8_t>(0x04 << i);
    }
    w.u8(flags);
    w.u16(sequence);
    if (has_ack) {
      if (diff <= 0xFF) w.u8(static_cast<std::uint8_t>(diff));
      else w.u16(ack);
      for (int i = 0; i < 4; ++i)
        if (byte_of(i) != 0xFF) w.u8(byte_of(i));
    }
    return w.ok() ? w.position() : 0;
  }

  /// Reads a regular header from the front of `r`; nullopt on truncation or bad flags.
  static std::optional<PacketHeader> read(detail::ByteReader& r) noexcept {
    PacketHeader h;
    const std::uint8_t flags = r.u8();
    if ((flags & fragment_flag) != 0) return std::nullopt;
    h.eliciting = (flags & eliciting_flag) != 0;
    h.has_ack = (flags & ack_flag) != 0;
    h.sequence = r.u16();
    if (!h.has_ack) {
      if ((flags & 0x7C) != 0) return std::nullopt;  // ack fields without an ack
      return r.ok() ? std::optional(h) : std::nullopt;
    }
    h.ack = (flags & short_ack_flag) != 0 ? static_cast<std::uint16_t>(h.sequence - r.u8()) : r.u16();
    for (int i = 0; i < 4; ++i) {
      const std::uint32_t byte = (flags & (0x04 << i)) != 0 ? r.u8() : 0xFFu;
      h.ack_bits |= byte << (8 * i);
    }
    return r.ok() ? std::optional(h) : std::nullopt;
  }

 private:
  [[nodiscard]] std::uint8_t byte_of(int i) const noexcept {
    return static_cast<std::uint8_t>(ack_bits >> (8 * i));
  }
};

/// The header of one fragment of a packet larger than a datagram.
struct FragmentHeader {
  std::uint16_t sequence = 0;
  std::uint8_t index = 0;
  std::uint16_t count = 0;  ///< 2 .. 256

  std::size_t write(std::span<std::byte> out) const noexcept {
    detail::ByteWriter w(out);
    w.u8(PacketHeader::fragment_flag);
    w.u16(sequence);
    w.u8(index);
    w.u8(static_cast<std::uint8_t>(count - 1));
    return w.ok() ? w.position() : 0;
  }

  /// Reads a fragment header; nullopt unless the flags byte is exactly the fragment flag.
  static std::optional<FragmentHeader> read(detail::ByteReader& r) noexcept {
    FragmentHeader h;
    if (r.u8() != PacketHeader::fragment_flag) return std::nullopt;
    h.sequence = r.u16();
    h.index = r.u8();
    h.count = static_cast<std::uint16_t>(r.u8() + 1);
    return r.ok() ? std::optional(h) : std::nullopt;
  }
};

}  // namespace courier
