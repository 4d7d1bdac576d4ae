// (b) The full server: Server<Pack> for a pack with a relay, its events drained.
#include <courier/core/steady_clock.hpp>
#include <courier/pack.hpp>
#include <courier/transport/udp.hpp>
#include <courier/typed/server.hpp>

#include "game_pack.hpp"

using namespace compile_time;

int main() {
  courier::Udp socket(*courier::Address::parse("127.0.0.1:0"));
  courier::ServerConfig config;
  config.netcode.private_key = courier::Key::random();
  courier::Server<RelayPack> server(std::move(socket), config);
  const courier::SteadyClock clock;
  server.update(clock);
  int seen = 0;
  while (auto event = server.poll_event()) ++seen;
  server.stop();
  while (auto event = server.poll_event()) ++seen;
  return seen;
}
