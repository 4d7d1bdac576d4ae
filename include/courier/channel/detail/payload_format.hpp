#pragma once
/// \file
/// The channel part of the payload format (docs/PROTOCOL.md, "Packet body"): a packet body is a
/// sequence of chunks. A chunk starts with a tag byte — kind in bits 7..6, channel in bits 5..0:
///
///   kind 0, messages: count u8 (1..255), then per message
///          [sequence u16 — reliable and sequenced channels] id varint, length varint, bytes
///   kind 1, fragment of a block message (a message above the channel's max_inline_bytes):
///          sequence u16, id varint, index u16, count u16, length varint, bytes
///          (on an unreliable channel the sequence numbers every message of the channel,
///          sequenced or not, and the fragments are sent once: all-or-nothing)
///
/// Kinds 2 and 3 are reserved. Parsing checks every structural rule that needs no receiver
/// state, before the visitor sees anything, and never reads past the body.

#include <cstddef>
#include <cstdint>
#include <span>

#include "courier/channel/channel_config.hpp"
#include "courier/core/byte_cursor.hpp"
#include "courier/reliable/packet_handler.hpp"

namespace courier::detail {

/// Bumped whenever the reliable header or the chunk layout changes.
inline constexpr std::uint32_t payload_format_version = 1;

inline constexpr std::uint8_t chunk_messages = 0x00;
inline constexpr std::uint8_t chunk_fragment = 0x40;
inline constexpr std::uint8_t chunk_kind_mask = 0xC0;
inline constexpr std::uint8_t chunk_channel_mask = 0x3F;
inline constexpr std::size_t max_messages_per_chunk = 255;

/// One decoded message.
struct WireMessage {
  std::uint8_t channel = 0;
  std::uint16_t sequence = 0;
  std::uint32_t id = 0;
  std::span<const std::byte> bytes;
};

/// One decoded fragment of a block message.
struct WireFragment {
  std::uint8_t channel = 0;
  std::uint16_t sequence = 0;
  std::uint32_t id = 0;
  std::uint16_t index = 0;
  std::uint16_t count = 0;
  std::span<const std::byte> bytes;
};

/// Bytes one message takes inside a messages chunk.
[[nodiscard]] constexpr std::size_t message_wire_bytes(bool with_sequence, std::uint32_t id,
                                                       std::size_t size) noexcept {
  return (with_sequence ? 2 : 0) + varint_size(id) + varint_size(static_cast<std::uint32_t>(size)) + size;
}

/// Bytes one fragment chunk takes.
[[nodiscard]] constexpr std::size_t fragment_wire_bytes(std::uint32_t id, std::size_t size) noexcept {
  return 1 + 2 + varint_size(id) + 2 + 2 + varint_size(static_cast<std::uint32_t>(size)) + size;
}

/// Appends chunks for one channel into `out`; every add either fits whole or writes nothing.
class ChunkWriter {
 public:
  ChunkWriter(std::span<std::byte> out, std::uint8_t channel) noexcept : out_(out), channel_(channel) {}

  bool add_message(bool with_sequence, std::uint16_t seq, std::uint32_t id,
                   std::span<const std::byte> bytes) noexcept {
    const bool new_chunk = count_ == 0 || count_ == max_messages_per_chunk;
    const std::size_t need = (new_chunk ? 2 : 0) + message_wire_bytes(with_sequence, id, bytes.size());
    if (need > out_.size() - size_) return false;
    ByteWriter w(out_.subspan(size_, need));
    if (new_chunk) {
      count_at_ = size_ + 1;
      count_ = 0;
      w.u8(static_cast<std::uint8_t>(chunk_messages | channel_));
      w.u8(0);
    }
    if (with_sequence) w.u16(seq);
    w.varint(id);
    w.varint(static_cast<std::uint32_t>(bytes.size()));
    w.bytes(bytes);
    out_[count_at_] = std::byte(++count_);
    size_ += need;
    return true;
  }

  bool add_fragment(const WireFragment& f) noexcept {
    const std::size_t need = fragment_wire_bytes(f.id, f.bytes.size());
    if (need > out_.size() - size_) return false;
    ByteWriter w(out_.subspan(size_, need));
    w.u8(static_cast<std::uint8_t>(chunk_fragment | channel_));
    w.u16(f.sequence);
    w.varint(f.id);
    w.u16(f.index);
    w.u16(f.count);
    w.varint(static_cast<std::uint32_t>(f.bytes.size()));
    w.bytes(f.bytes);
    count_ = 0;  // a following message opens a new messages chunk
    size_ += need;
    return true;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return out_.size() - size_; }

 private:
  std::span<std::byte> out_;
  std::size_t size_ = 0;
  std::size_t count_at_ = 0;
  std::size_t count_ = 0;
  std::uint8_t channel_;
};

namespace parse {

inline bool read_message(ByteReader& r, const ChannelConfig& c, WireMessage& m) noexcept {
  if (has_sequence(c.mode)) m.sequence = r.u16();
  m.id = r.varint();
  const std::uint32_t size = r.varint();
  if (!r.ok() || m.id >= c.message_id_count || size > c.max_inline_bytes) return false;
  m.bytes = r.view(size);
  return r.ok();
}

inline bool read_fragment(ByteReader& r, const ChannelConfig& c, WireFragment& f) noexcept {
  f.sequence = r.u16();
  f.id = r.varint();
  f.index = r.u16();
  f.count = r.u16();
  const std::uint32_t size = r.varint();
  if (!r.ok() || f.id >= c.message_id_count || f.count == 0 || f.index >= f.count ||
      f.count > c.max_block_fragments())
    return false;
  const bool last = f.index + 1 == f.count;
  if (last ? size == 0 || size > block_fragment_bytes : size != block_fragment_bytes) return false;
  if (std::size_t{f.index} * block_fragment_bytes + size > c.max_message_bytes) return false;
  if (f.count == 1 && size <= c.max_inline_bytes) return false;  // would have been inline
  f.bytes = r.view(size);
  return r.ok();
}

}  // namespace parse

/// Decodes `body` and calls `v.message(const WireMessage&)` / `v.fragment(const WireFragment&)`
/// (each returning a PayloadVerdict) for every item. `channels` must be resolved configs.
/// Returns violation at the first structural error, else refuse if any item was refused.
template <class Visitor>
PayloadVerdict parse_body(std::span<const std::byte> body, std::span<const ChannelConfig> channels,
                          Visitor& v) noexcept {
  ByteReader r(body);
  PayloadVerdict result = PayloadVerdict::accept;
  const auto merge = [&result](PayloadVerdict item) {
    if (item == PayloadVerdict::violation || (item == PayloadVerdict::refuse && result == PayloadVerdict::accept))
      result = item;
  };
  while (!r.at_end() && result != PayloadVerdict::violation) {
    const std::uint8_t tag = r.u8();
    const std::uint8_t channel = tag & chunk_channel_mask;
    if (channel >= channels.size()) return PayloadVerdict::violation;
    const ChannelConfig& c = channels[channel];
    if ((tag & chunk_kind_mask) == chunk_fragment) {
      WireFragment f;
      f.channel = channel;
      if (!parse::read_fragment(r, c, f)) return PayloadVerdict::violation;
      merge(v.fragment(f));
      continue;
    }
    if ((tag & chunk_kind_mask) != chunk_messages) return PayloadVerdict::violation;
    const std::uint8_t count = r.u8();
    if (!r.ok() || count == 0) return PayloadVerdict::violation;
    for (std::uint8_t i = 0; i < count && result != PayloadVerdict::violation; ++i) {
      WireMessage m;
      m.channel = channel;
      if (!parse::read_message(r, c, m)) return PayloadVerdict::violation;
      merge(v.message(m));
    }
  }
  return body.empty() ? PayloadVerdict::violation : result;
}

}  // namespace courier::detail
