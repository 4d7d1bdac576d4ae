// chat_server: the chat room. Every line a client says is broadcast to everybody, joins and
// leaves are announced, and WhoIsOnline is answered with the list of names.
//
//   chat_server [options]
//     --bind ADDR          UDP address to listen on (default 127.0.0.1:40100; port 0 picks one)
//     --ws ADDR            also serve WebSocket clients (browsers, networks that block UDP) on
//                          this TCP address (port 0 picks one), in the same room
//     --wss ADDR           the same over TLS, with --cert FILE --key FILE (PEM)
//     --public ADDR        the address connect tokens name (default: the bound address; needed
//                          when binding a wildcard such as 0.0.0.0)
//     --private-key HEX    the key shared with the token service (default: $COURIER_CHAT_PRIVATE_KEY)
//     --max-clients N      (default 64)
//     --seconds S          stop after S seconds (default 300; 0: only on a signal)
//
// It stops on SIGINT or SIGTERM, telling every client "server shutting down".
//
// Prints one line per connect, disconnect (with its reason), line and request, and a summary
// when it stops. Exit code 0 after a clean stop, 1 when it cannot start, 2 for bad usage.

#include "chat_protocol.hpp"

#ifdef COURIER_CHAT_WEBSOCKET
#include <courier/transport/multi.hpp>
#include <courier/transport/websocket/websocket_server.hpp>
#endif

#include <csignal>
#include <cstdio>
#include <string_view>
#include <exception>
#include <map>
#include <string>

namespace {

volatile std::sig_atomic_t g_stop = 0;

int usage() {
  std::fprintf(stderr, "usage: chat_server [--bind ADDR] [--ws ADDR | --wss ADDR --cert FILE --key FILE] "
                       "[--public ADDR] [--private-key HEX] [--max-clients N] [--seconds S]\n");
  return 2;
}

struct Options {
  courier::Address bind = *courier::Address::parse("127.0.0.1:40100");
  courier::Address websocket;       // none: UDP only
  bool secure = false;              // --wss
  std::string cert, tls_key;
  courier::Address public_address;  // none: the bound address
  std::string key_hex;
  std::size_t max_clients = 64;
  double seconds = 300;
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--bind" && courier::Address::parse(value)) o.bind = *courier::Address::parse(value);
    else if ((flag == "--ws" || flag == "--wss") && courier::Address::parse(value)) {
      o.websocket = *courier::Address::parse(value);
      o.secure = flag == "--wss";
    } else if (flag == "--cert") o.cert = value;
    else if (flag == "--key") o.tls_key = value;
    else if (flag == "--public" && courier::Address::parse(value)) o.public_address = *courier::Address::parse(value);
    else if (flag == "--private-key") o.key_hex = value;
    else if (flag == "--max-clients") o.max_clients = std::strtoul(value, nullptr, 10);
    else if (flag == "--seconds") o.seconds = std::strtod(value, nullptr);
    else return false;
  }
  // A certificate and its key go together, and only with --wss.
  return argc % 2 == 1 && o.cert.empty() == o.tls_key.empty() && o.cert.empty() != o.secure;
}

/// The room: who is here, and what happened. S is the server type: UDP only, or UDP and
/// WebSocket in one slot table (the events are the same).
template <class S>
class Room {
 public:
  explicit Room(S& server) : server_(server) {}

  void handle(typename S::Event& e) {
    courier::match(e, [&](typename S::Connected& c) { joined(c); }, [&](typename S::Disconnected& d) { left(d); },
                   [&](typename S::template Message<chat::Say>& m) { said(m); },
                   [&](typename S::template Request<chat::WhoIsOnline>& r) { who_is_online(r); },
                   [](auto&) {});  // Said and Notice only travel server → client
  }

  void print_summary() const {
    std::printf("summary connects=%llu disconnects=%llu lines=%llu requests=%llu\n", connects_, disconnects_,
                lines_, requests_);
  }

 private:
  void joined(const typename S::Connected& c) {
    ++connects_;
    std::string name(c.message.name.view());
    if (name.empty()) name = "guest-" + std::to_string(c.client_id);
    names_[c.client_id] = name;
    std::printf("connect client_id=%llu name=%s address=%s\n", static_cast<unsigned long long>(c.client_id),
                name.c_str(), c.address.to_string().c_str());
    announce(name + " joined");
  }

  void left(const typename S::Disconnected& d) {
    ++disconnects_;
    const auto it = names_.find(d.client_id);
    const std::string name = it == names_.end() ? "?" : it->second;
    if (it != names_.end()) names_.erase(it);
    std::printf("disconnect client_id=%llu name=%s reason=%s\n", static_cast<unsigned long long>(d.client_id),
                name.c_str(), courier::describe(d.reason));
    announce(name + " left (" + courier::describe(d.reason) + ")");
  }

  void said(const typename S::template Message<chat::Say>& m) {
    ++lines_;
    const auto info = server_.info(m.client);
    const std::uint64_t id = info ? info->client_id : 0;
    chat::Said out;
    out.from = id;
    out.name.try_assign(names_[id]);
    out.text = m.message.text;
    std::printf("line name=%s text=%s\n", out.name.c_str(), out.text.c_str());
    server_.broadcast(out);
  }

  void who_is_online(typename S::template Request<chat::WhoIsOnline>& r) {
    ++requests_;
    chat::Online online;
    online.total = static_cast<std::uint32_t>(names_.size());
    for (const auto& [id, name] : names_) {
      chat::Member m;
      m.client_id = id;
      m.name.try_assign(name);
      if (!online.members.try_push_back(m)) break;
    }
    std::printf("request who_is_online online=%u\n", online.total);
    if (const auto s = server_.respond(std::move(r.token), online); !s)
      std::printf("respond failed reason=%s\n", s.error.message().c_str());
  }

  void announce(const std::string& text) {
    chat::Notice n;
    n.text.try_assign(std::string_view(text).substr(0, chat::max_text));
    server_.broadcast(n);
  }

  S& server_;
  std::map<std::uint64_t, std::string> names_;  // by client id, sorted for the Online list
  unsigned long long connects_ = 0, disconnects_ = 0, lines_ = 0, requests_ = 0;
};

/// Serves until a signal or the time limit, then tells every client and prints the summary.
template <class S>
int serve(S& server, const Options& o) {
  Room<S> room(server);
  std::string addresses;
  for (const courier::Address& a : server.public_addresses()) addresses += (addresses.empty() ? "" : ",") + a.to_string();
  std::printf("listening address=%s public=%s protocol=0x%016llx\n", server.bind_address().to_string().c_str(),
              addresses.c_str(), static_cast<unsigned long long>(chat::Pack::protocol_id));
  courier::SteadyClock clock;
  const auto end = clock.now() + courier::from_seconds(o.seconds);
  while (!g_stop && (o.seconds <= 0 || clock.now() < end)) {
    server.update(clock);
    while (auto e = server.poll_event()) room.handle(*e);  // answers and broadcasts leave when it ends
    std::fflush(stdout);
    server.wait(std::chrono::milliseconds(5));  // returns early when a datagram arrives
  }
  std::printf("stopping reason=%s\n", g_stop ? "signal" : "time limit");
  server.stop();  // every client is told: server shutting down
  while (auto e = server.poll_event()) room.handle(*e);
  room.print_summary();
  return 0;
}

#ifdef COURIER_CHAT_WEBSOCKET
/// UDP and WebSocket clients in one room: one server, one slot table, the same tokens. The
/// WebSocket listener's address is the server's second public address (tokens list both).
int serve_both(const Options& o, courier::ServerConfig config) {
  using Mixed = courier::WithTransport<chat::Pack, courier::Multi<courier::Udp, courier::WebSocketServer>>;
  courier::WebSocketServerConfig ws_config;
  ws_config.certificate_file = o.cert;
  ws_config.private_key_file = o.tls_key;
  courier::WebSocketServer ws(o.websocket, ws_config);
  config.netcode.other_public_addresses.push_back(ws.local_address());
  courier::Server<Mixed> server(courier::Multi<courier::Udp, courier::WebSocketServer>(courier::Udp(o.bind), std::move(ws)),
                                config);
  return serve(server, o);
}
#else
int serve_both(const Options&, const courier::ServerConfig&) {
  std::printf("failure reason=built without the WebSocket transport (Boost.Beast and OpenSSL): --ws needs it\n");
  return 1;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) return usage();
  const auto key = chat::read_key(o.key_hex);
  if (!key) {
    std::fprintf(stderr, "chat_server: give the private key (64 hex digits) with --private-key or $%s\n",
                 chat::key_variable);
    return 2;
  }
  courier::ServerConfig config;
  config.netcode.private_key = *key;
  config.netcode.public_address = o.public_address;  // none: the bound address
  config.netcode.max_clients = o.max_clients;
  // The restart rule: for its first 30 s a server refuses tokens that may predate its start. 30 s
  // is also the default lifetime of token_service's tokens; keep the two equal if you change one.
  config.netcode.max_token_lifetime = std::chrono::seconds(30);
  // Rare lines worth an operator's eye: a reused token, a client of another pack (rate-limited).
  config.netcode.log = [](std::string_view line) { std::printf("log %.*s\n", static_cast<int>(line.size()), line.data()); };
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  try {
    if (!o.websocket.is_none()) return serve_both(o, config);
    courier::Server<chat::Pack> server(courier::Udp(o.bind), config);
    return serve(server, o);
  } catch (const std::exception& e) {
    std::printf("failure reason=%s\n", e.what());
    return 1;
  }
}
