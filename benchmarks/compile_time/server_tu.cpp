// (b) The full server: Server<Pack> for a pack with a relay, its events drained.
#include <courier/pack.hpp>
#include <courier/transport/udp.hpp>
#include <courier/typed/server.hpp>

#include "game_pack.hpp"

using namespace compile_time;

int main() {
  courier::Udp socket(*courier::Address::parse("127.0.0.1:0"));
  courier::ServerConfig config;
  config.netcode.public_address = socket.local_address();
  courier::Server<RelayPack> server(std::move(socket), config);
  server.update(courier::TimePoint{}, courier::UnixSeconds{});
  int seen = 0;
  while (auto event = server.poll_event()) ++seen;
  server.stop();
  while (auto event = server.poll_event()) ++seen;
  return seen;
}
