// (a) What a plain UDP typed client needs: the typed client, the pack and the UDP transport,
// with Client<Pack> instantiated for a small game pack (send, request, poll_event).
#include <courier/core/steady_clock.hpp>
#include <courier/pack.hpp>
#include <courier/transport/udp.hpp>
#include <courier/typed/client.hpp>

#include "game_pack.hpp"

using namespace compile_time;

int main() {
  courier::Client<GamePack> client(courier::Udp(*courier::Address::parse("127.0.0.1:0")));
  const courier::SteadyClock clock;
  const auto token = courier::ConnectToken::from_bytes(std::array<std::byte, 2048>{});  // never valid: compiled, not run
  if (token) (void)client.connect(*token);
  client.update(clock);
  (void)client.send(Chat{1, "hello"});
  (void)client.send(Move{});
  (void)client.request(Join{"ann"});
  int seen = 0;
  while (auto event = client.poll_event()) ++seen;
  client.disconnect();
  return seen;
}
