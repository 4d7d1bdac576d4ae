#include <courier/courier.hpp>
#include <cstdio>
using namespace courier;

struct Chat { BoundedString<64> text; };   // messages are plain structs with bounded fields
struct Ask { std::uint32_t n; };           // a request ...
struct Answer { std::uint32_t twice; };    // ... and its response
using Pack = ChannelPack<Version<"quickstart 1">, Channel<"chat", ReliableOrdered, Chat>, Request<Ask, Answer>>;
using S = Server<Pack>;
using C = Client<Pack>;

int main() {
  SteadyClock clock;
  ServerConfig config;
  config.netcode.private_key = Key::random();  // a real game shares its key with a token backend
  S server(Udp(*Address::parse("127.0.0.1:0")), config);  // port 0: the kernel picks one
  // Development shortcut: the server issues a token for itself. In production a web backend
  // authenticates the player and calls make_connect_token<Pack>(key, id, servers, now).
  ConnectToken token = server.issue_insecure_token(1, clock.unix_now()).value();
  C client(Udp(*Address::parse("127.0.0.1:0")));
  client.connect(token);

  bool heard = false, answered = false;
  for (auto end = clock.now() + std::chrono::seconds(5); !(heard && answered) && clock.now() < end;) {
    client.update(clock);
    server.update(clock);
    while (auto e = server.poll_event())  // replies sent here go out when the loop ends
      match(*e, [&](S::Message<Chat>& m) { std::printf("server: %s\n", m.message.text.c_str()); heard = true; },
                [&](S::Request<Ask>& r) { server.respond(std::move(r.token), Answer{2 * r.request.n}); },
                [](auto&) {});
    while (auto e = client.poll_event())
      match(*e, [&](C::Connected&) { client.send(Chat{"hello"}); client.request(Ask{21}); },
                [&](C::Response<Answer>& r) { std::printf("client: %u\n", r.response.twice); answered = true; },
                [](auto&) {});
    wait_for_input(std::chrono::milliseconds(1), client.transport(), server.transport());  // or sooner
  }
  return heard && answered ? 0 : 1;
}
