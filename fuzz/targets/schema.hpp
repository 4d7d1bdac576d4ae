#pragma once
// Decoding hostile bytes with a schema: a message that decodes re-encodes to exactly the input
// (both shipped schemas are canonical), measure() agrees with the encoded size and with
// max_bytes, and a second decode of the re-encoded bytes succeeds. Shared by the schema target
// and the channel target (which decodes every message it receives).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>

#include "common.hpp"
#include "schema/messages.hpp"  // tests/schema: messages covering every field kind

namespace courier::fuzz {

template <class S, class T>
void decode_round_trip(std::span<const std::byte> in) {
  T msg{};
  if (S::decode(in, msg)) return;
  static std::array<std::byte, 8192> out;
  static_assert(S::template max_bytes<T> <= out.size());
  const EncodeResult r = S::encode(msg, out);
  FUZZ_CHECK(!r.error);
  FUZZ_CHECK(r.size == in.size());
  FUZZ_CHECK(std::equal(in.begin(), in.end(), out.begin()));
  FUZZ_CHECK(S::measure(msg) == r.size);
  FUZZ_CHECK(r.size <= S::template max_bytes<T>);
  T again{};
  FUZZ_CHECK(!S::decode(std::span<const std::byte>(out.data(), r.size), again));
}

/// `selector` picks the schema (bit 0) and the message type (bits 1-2).
inline void decode_any(std::uint8_t selector, std::span<const std::byte> in) {
  using namespace schema_samples;
  const bool bits = (selector & 1) != 0;
  switch ((selector >> 1) & 3) {
    case 0: bits ? decode_round_trip<BitPacked, Everything>(in) : decode_round_trip<ByteAligned, Everything>(in); break;
    case 1: bits ? decode_round_trip<BitPacked, Small>(in) : decode_round_trip<ByteAligned, Small>(in); break;
    case 2: bits ? decode_round_trip<BitPacked, Containers>(in) : decode_round_trip<ByteAligned, Containers>(in); break;
    default: bits ? decode_round_trip<BitPacked, Bounded>(in) : decode_round_trip<ByteAligned, Bounded>(in); break;
  }
}

}  // namespace courier::fuzz
