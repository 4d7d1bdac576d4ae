// Uses courier the way an application would: the umbrella header, a transport, a connection.
// Built twice: header-only, and in the separate-compilation mode (courier_add_compiled_library).
#include <courier/courier.hpp>

#include <array>
#include <cstddef>
#include <cstdio>

int main() {
  const auto address = courier::Address::parse("127.0.0.1:40000");
  if (!address || address->to_string() != "127.0.0.1:40000") {
    std::puts("consumer: address round trip failed");
    return 1;
  }
  // One message from one connection to another: the definitions compiled once must link.
  courier::ConnectionConfig config;
  config.channels.push_back(courier::ChannelConfig{});
  courier::Connection a(config);
  courier::Connection b(config);
  const std::array<std::byte, 3> message{std::byte{1}, std::byte{2}, std::byte{3}};
  (void)a.send(0, 0, message);
  std::array<std::byte, 1200> packet{};
  const std::size_t size = a.write_packet(courier::TimePoint{}, packet);
  (void)b.read_packet(courier::TimePoint{}, std::span<const std::byte>(packet.data(), size));
  const auto received = b.receive(0);
  if (!received || received->bytes.size() != message.size()) {
    std::puts("consumer: the message did not arrive");
    return 1;
  }
  std::puts("consumer: courier is usable");
  return 0;
}
