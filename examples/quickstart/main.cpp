#include <courier/courier.hpp>
#include <cstdio>
#include <thread>
using namespace courier;

struct Chat { BoundedString<64> text; };   // messages are plain structs with bounded fields
struct Ask { std::uint32_t n; };           // a request ...
struct Answer { std::uint32_t twice; };    // ... and its response
using Pack = ChannelPack<Version<"quickstart 1">, Channel<"chat", ReliableOrdered, Chat>, Request<Ask, Answer>>;

int main() {
  SteadyClock clock;
  Udp socket(*Address::parse("127.0.0.1:0"));  // port 0: the kernel picks one
  ServerConfig config;                         // the key is shared with whoever issues tokens
  Netcode102::random_bytes(std::as_writable_bytes(std::span(config.netcode.private_key)));
  config.netcode.public_address = socket.local_address();
  Server<Pack> server(std::move(socket), config);

  ConnectTokenParams p;  // a web backend would issue this token
  p.protocol_id = Pack::protocol_id; p.client_id = 1; p.now = clock.unix_now();
  p.public_addresses = {server.public_address()}; p.private_key = config.netcode.private_key;
  std::array<std::byte, 2048> token{};
  if (generate_connect_token(p, token)) return 1;
  Client<Pack> client(Udp(*Address::parse("127.0.0.1:0")));
  client.connect(token, clock.now());

  bool heard = false, answered = false;
  for (auto end = clock.now() + std::chrono::seconds(5); !(heard && answered) && clock.now() < end;) {
    client.update(clock.now());
    server.update(clock);
    while (auto e = server.poll_event()) std::visit(overloaded{
        [&](server_event::Message<Chat>& m) { std::printf("server: %s\n", m.message.text.c_str()); heard = true; },
        [&](server_event::Request<Pack, Ask>& r) { server.respond(std::move(r.token), Answer{2 * r.request.n}); },
        [](auto&) {}}, *e);
    while (auto e = client.poll_event()) std::visit(overloaded{
        [&](client_event::Connected&) { client.send(Chat{"hello"}); client.request(Ask{21}); },
        [&](client_event::Response<Answer>& r) { std::printf("client: %u\n", r.response.twice); answered = true; },
        [](auto&) {}}, *e);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  client.disconnect();
  server.stop();
  return heard && answered ? 0 : 1;
}
