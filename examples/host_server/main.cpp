// host_server: "listen server" mode. One process runs the Server, the player who hosts the game
// as a HostClient (it takes a slot of the server and exchanges typed values with it directly:
// no encoding, no crypto, no sockets), and a remote Client over UDP on 127.0.0.1 to play with.
// No threads: one loop updates all three, and each side's events are printed as they come.
//
//   host_server [--seconds S]     give up after S seconds (default 5)
//
// The script: the remote player says hello and rolls a die; the host hears it, welcomes the
// newcomer and rolls too; the remote player hears the welcome; then the remote player leaves,
// the host leaves, and the server stops. Exit code 0 when every step happened.

#include <courier/courier.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <string>
#include <string_view>

namespace {

using namespace std::chrono_literals;

struct Join { courier::BoundedString<16> name; };                        // the connect message
struct Say { courier::BoundedString<80> text; };                         // player → server
struct Said { courier::BoundedString<16> from; courier::BoundedString<80> text; };  // server → all
struct Roll { courier::Ranged<int, 2, 100> sides = 6; };                  // request ...
struct Rolled { courier::Ranged<int, 1, 100> value = 1; };               // ... and its response

using Pack = courier::ChannelPack<
    courier::Version<"host_server example 1">,
    courier::Channel<"chat", courier::ReliableOrdered, Say, Said>,
    courier::Request<Roll, Rolled>,
    courier::ConnectMessage<Join>>;

using S = courier::Server<Pack>;
using C = courier::Client<Pack>;
using H = courier::HostClient<Pack>;

/// The game's rules: relay chat, roll dice. Names are kept by slot.
class Game {
 public:
  explicit Game(S& server) : server_(server) {}

  void handle(S::Event& e) {
    courier::match(
        e,
        [&](S::Connected& c) {
          names_[c.client.slot] = std::string(c.message.name.view());
          std::printf("[server] %s joined (client %llu, %s)\n", c.message.name.c_str(),
                      static_cast<unsigned long long>(c.client_id), c.local ? "in this process" : c.address.to_string().c_str());
        },
        [&](S::Disconnected& d) {
          std::printf("[server] %s left: %s\n", names_[d.client.slot].c_str(), courier::describe(d.reason));
        },
        [&](S::Message<Say>& m) {
          std::printf("[server] relaying %s: %s\n", names_[m.client.slot].c_str(), m.message.text.c_str());
          Said said;
          said.from.try_assign(names_[m.client.slot]);
          said.text = m.message.text;
          server_.broadcast(said);
        },
        [&](S::Request<Roll>& r) {
          const int sides = r.request.sides.clamped();  // host values are not encoded, so clamp here
          const Rolled rolled{static_cast<int>(dice_.between(1, sides))};
          std::printf("[server] %s rolls a d%d: %d\n", names_[r.client.slot].c_str(), sides, rolled.value.value());
          server_.respond(std::move(r.token), rolled);
        },
        [](auto&) {});  // Said only travels server → players
  }

 private:
  S& server_;
  courier::Rng dice_{2024};
  std::map<std::uint32_t, std::string> names_;  // by slot
};

/// One player's side of the script, the same code for the host and the remote player.
template <class Player>
class Script {
 public:
  Script(Player& player, const char* label, bool hosting) : player_(player), label_(label), hosting_(hosting) {}

  bool heard_other = false, rolled = false, connected = false;

  void handle(C::Event& e) {  // a HostClient's events are a Client's
    courier::match(
        e,
        [&](C::Connected& c) {
          std::printf("[%s] connected in slot %u\n", label_, c.slot);
          connected = true;
        },
        [&](C::Message<Said>& m) { on_said(m.message); },
        [&](C::Response<Rolled>& r) {
          std::printf("[%s] rolled %d\n", label_, r.response.value.value());
          rolled = true;
        },
        [&](C::RequestEnded& r) { std::printf("[%s] roll ended: %s\n", label_, courier::describe(r.status)); },
        [&](C::Disconnected& d) { std::printf("[%s] disconnected: %s\n", label_, courier::describe(d.reason)); },
        [&](C::ClosedByServer& c) { std::printf("[%s] closed by server: %s\n", label_, courier::describe(c.reason)); },
        [](auto&) {});
  }

  /// The remote player opens the conversation.
  void open() {
    player_.send(Say{"hi! anyone hosting?"});
    player_.request(Roll{6});
  }

 private:
  void on_said(const Said& s) {
    std::printf("[%s] <%s> %s\n", label_, s.from.c_str(), s.text.c_str());
    if (s.from.view() == label_) return;  // our own line, relayed back
    if (!heard_other && hosting_) {  // the host welcomes the newcomer and rolls too
      player_.send(Say{"welcome! I'm hosting"});
      player_.request(Roll{20});
    }
    heard_other = true;
  }

  Player& player_;
  const char* label_;
  bool hosting_;
};

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  if (argc == 3 && std::string_view(argv[1]) == "--seconds") seconds = std::strtod(argv[2], nullptr);
  else if (argc != 1) {
    std::fprintf(stderr, "usage: host_server [--seconds S]\n");
    return 2;
  }
  try {
    courier::SteadyClock clock;
    courier::ServerConfig config;
    config.netcode.private_key = courier::Key::random();
    config.netcode.max_clients = 8;
    S server(courier::Udp(*courier::Address::parse("127.0.0.1:0")), config);
    Game game(server);
    H host(server, 1, Join{"host"});  // joins at once, no handshake
    C remote(courier::Udp(*courier::Address::parse("127.0.0.1:0")));
    // Development shortcut: the server makes the guest's token itself (not for production: a
    // real game's backend authenticates the player and calls make_connect_token<Pack>).
    remote.connect(server.issue_insecure_token(2, clock.unix_now()).value(), Join{"guest"});
    Script<H> host_side(host, "host", true);
    Script<C> remote_side(remote, "guest", false);

    const auto drain = [&] {
      while (auto e = server.poll_event()) game.handle(*e);
      while (auto e = host.poll_event()) host_side.handle(*e);
      while (auto e = remote.poll_event()) {
        const bool was_connected = remote_side.connected;
        remote_side.handle(*e);
        if (!was_connected && remote_side.connected) remote_side.open();
      }
    };
    const auto tick = [&] {
      remote.update(clock);
      server.update(clock);
      host.update(clock);
      drain();
      courier::wait_for_input(1ms, remote.transport(), server.transport());  // or a datagram
    };
    const auto done = [&] {
      return host_side.heard_other && host_side.rolled && remote_side.heard_other && remote_side.rolled;
    };
    const auto end = clock.now() + courier::from_seconds(seconds);
    while (!done() && clock.now() < end) tick();
    const bool ok = done();

    std::printf("-- the guest leaves, then the host, then the server stops\n");
    remote.disconnect();
    for (const auto until = clock.now() + 1s; server.num_connected() > 1 && clock.now() < until;) tick();
    host.disconnect();
    drain();
    server.stop();
    drain();
    std::printf("%s\n", ok ? "done: both players chatted and rolled" : "failure: the script did not finish in time");
    return ok && server.num_connected() == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::printf("failure: %s\n", e.what());
    return 1;
  }
}
