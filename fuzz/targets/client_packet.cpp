// Fuzz target: one datagram through the client's read path (netcode::read_packet with the
// client's allowed types). See packet_read.hpp.
#include "packet_read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  courier::fuzz::read_packet_target(data, size, courier::netcode::client_packet_types);
  return 0;
}
