#pragma once
/// \file
/// Reassembly of packets that arrive as fragments: a bounded number of packets at once, each
/// in a preallocated buffer. All fragments or nothing: a packet is handed on only when every
/// fragment arrived; an incomplete one is evicted by a newer packet when the table is full.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "courier/core/config.hpp"
#include "courier/reliable/byte_buffer.hpp"
#include "courier/reliable/endpoint_config.hpp"
#include "courier/reliable/packet_header.hpp"
#include "courier/reliable/sequence.hpp"

namespace courier::detail {

/// Up to `slots` packets in reassembly, each up to `max_fragments` fragments.
class Reassembly {
 public:
  enum class Result : std::uint8_t { incomplete, complete, duplicate, table_full, violation };

  Reassembly(std::size_t slots, std::size_t max_fragments)
      : slots_(slots), max_fragments_(max_fragments),
        buffer_(slots * max_fragments * packet_fragment_bytes) {}

  /// Adds one fragment whose header the caller checked (index < count ≤ max_fragments, data
  /// size exact for all but the last). On `complete`, `packet()` views the whole packet until
  /// the next call.
  Result add(const FragmentHeader& h, std::span<const std::byte> data) noexcept;

  [[nodiscard]] std::span<const std::byte> packet() const noexcept { return packet_; }

  /// Packets currently waiting for fragments.
  [[nodiscard]] std::size_t in_progress() const noexcept;

 private:
  struct Slot {
    std::array<std::uint64_t, 4> bits{};
    std::size_t size = 0;
    std::uint16_t sequence = 0;
    std::uint16_t count = 0;
    std::uint16_t received = 0;
    bool active = false;

    [[nodiscard]] bool has(std::size_t i) const noexcept { return (bits[i / 64] >> (i % 64)) & 1u; }
    void set(std::size_t i) noexcept { bits[i / 64] |= std::uint64_t{1} << (i % 64); }
  };

  Slot* find(std::uint16_t seq) noexcept;

  // A free slot, else the oldest packet's slot if the new one is newer than it.
  Slot* allocate(const FragmentHeader& h) noexcept;

  // The slot's bytes, made writable (held from then on).
  std::byte* storage(const Slot& s) noexcept {
    const std::size_t slot_bytes = max_fragments_ * packet_fragment_bytes;
    const auto i = static_cast<std::size_t>(&s - slots_.data());
    return buffer_.reach((i + 1) * slot_bytes) + i * slot_bytes;
  }

  std::vector<Slot> slots_;
  std::size_t max_fragments_;
  ByteBuffer buffer_;  // held as far as slots were used
  std::span<const std::byte> packet_;
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/reliable/impl/reassembly.hpp"
#endif
