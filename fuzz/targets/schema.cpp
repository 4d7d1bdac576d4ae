// Fuzz target: message decoding with BitPacked and ByteAligned (first byte: schema and
// message type; the rest: the encoded message). See schema.hpp for the invariants.
#include "schema.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  courier::fuzz::Input in(data, size);
  const std::uint8_t selector = in.u8();
  courier::fuzz::decode_any(selector, in.rest());
  return 0;
}
