// Fuzz target: one datagram through the server's read path (netcode::read_packet with the
// server's allowed types). See packet_read.hpp.
#include "packet_read.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  courier::fuzz::read_packet_target(data, size, courier::netcode::server_packet_types);
  return 0;
}
