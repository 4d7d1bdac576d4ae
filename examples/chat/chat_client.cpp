// chat_client: joins the chat room, says a few scripted lines, asks who is online, prints what
// it hears, and leaves.
//
//   chat_client --name NAME [token source] [options] [LINE...]
//   token source, one of:
//     --token-url URL      fetch it from the token service: http(s)://HOST:PORT/token
//     --ca FILE            with an https URL: the CA certificate that signed the service's
//     --token-file FILE    read a 2048-byte token (e.g. written by courier-token)
//     --server ADDR        make one here from the private key, standalone (with --private-key
//                          HEX or $COURIER_CHAT_PRIVATE_KEY); ws://ADDR or wss://ADDR: a
//                          WebSocket server (as with --ws / --wss)
//   options:
//     --ws                 reach the token's servers over WebSocket instead of UDP (where UDP
//                          is blocked); the token's UDP-only entries are skipped at once
//     --wss                the same over TLS; --ca FILE also names the CA the server's
//                          certificate must be signed by (verified, never skipped)
//     --client-id N        (default: random; with --token-file, the id the token was made for)
//     --stdin              also read lines from standard input (until end of file)
//     --peers N            wait until N others are online before speaking (default 0)
//     --expect N           wait to hear N lines from others before leaving (default 0)
//     --seconds S          give up after S seconds (default 20)
//
// Exit code 0 when every line was echoed back by the server, the expected lines arrived and
// the WhoIsOnline request was answered; 1 otherwise; 2 for bad usage.

#include "chat_protocol.hpp"

#ifdef COURIER_CHAT_HTTP
#include <httplib.h>
#endif
#ifdef COURIER_CHAT_WEBSOCKET
#include <courier/transport/websocket/websocket_client.hpp>
#endif

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace std::chrono_literals;

int usage() {
  std::fprintf(stderr,
               "usage: chat_client --name NAME (--token-url URL [--ca FILE] | --token-file FILE | --server ADDR "
               "[--private-key HEX]) [--ws | --wss [--ca FILE]] [--client-id N] [--stdin] [--peers N] [--expect N] "
               "[--seconds S] [LINE...]\n");
  return 2;
}

struct Options {
  std::string name, token_url, ca, token_file, key_hex;
  courier::Address server;
  std::uint64_t client_id = 0;
  bool client_id_given = false;
  bool read_stdin = false;
  courier::Address::Link link = courier::Address::Link::datagram;  // --ws, --wss or the --server scheme
  std::size_t peers = 0, expect = 0;
  double seconds = 20;
  std::vector<std::string> lines;
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--stdin" || flag == "--ws" || flag == "--wss") {
      if (flag == "--stdin") o.read_stdin = true;
      else o.link = flag == "--ws" ? courier::Address::Link::websocket : courier::Address::Link::websocket_secure;
      continue;
    }
    if (!flag.starts_with("--")) {
      o.lines.emplace_back(flag);
      continue;
    }
    if (i + 1 == argc) return false;
    const char* value = argv[++i];
    if (flag == "--name") o.name = value;
    else if (flag == "--token-url") o.token_url = value;
    else if (flag == "--ca") o.ca = value;
    else if (flag == "--token-file") o.token_file = value;
    else if (flag == "--server" && courier::Address::parse(value)) o.server = *courier::Address::parse(value);
    else if (flag == "--private-key") o.key_hex = value;
    else if (flag == "--client-id") {
      o.client_id = std::strtoull(value, nullptr, 10);
      o.client_id_given = true;
    } else if (flag == "--peers") o.peers = std::strtoul(value, nullptr, 10);
    else if (flag == "--expect") o.expect = std::strtoul(value, nullptr, 10);
    else if (flag == "--seconds") o.seconds = std::strtod(value, nullptr);
    else return false;
  }
  if (o.server.is_websocket()) o.link = o.server.link();
  const int sources = !o.token_url.empty() + !o.token_file.empty() + !o.server.is_none();
  return !o.name.empty() && o.name.size() <= chat::max_name && sources == 1 && o.seconds > 0;
}

// ---- getting a connect token -------------------------------------------------------------

std::optional<courier::ConnectToken> fetch_token(const Options& o) {
#ifdef COURIER_CHAT_HTTP
  // http(s)://host:port/path: httplib takes the scheme, host and port; the path goes to Get.
  const std::size_t host_start = o.token_url.find("://");
  const std::size_t path_start = host_start == std::string::npos ? host_start : o.token_url.find('/', host_start + 3);
  if (path_start == std::string::npos) {
    std::printf("failure reason=token URL must look like http(s)://HOST:PORT/token\n");
    return std::nullopt;
  }
  httplib::Client http(o.token_url.substr(0, path_start));
  if (!http.is_valid()) {
    std::printf("failure reason=cannot use %s (https needs a build with OpenSSL)\n", o.token_url.c_str());
    return std::nullopt;
  }
  http.set_connection_timeout(2s);
  http.set_read_timeout(3s);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (!o.ca.empty()) http.set_ca_cert_path(o.ca.c_str());
  http.enable_server_certificate_verification(true);
#endif
  const std::string path = o.token_url.substr(path_start) + "?client_id=" + std::to_string(o.client_id);
  const auto response = http.Get(path.c_str());
  if (!response) {
    std::printf("failure reason=token request failed: %s\n", httplib::to_string(response.error()).c_str());
    return std::nullopt;
  }
  const auto token = courier::ConnectToken::from_bytes(std::as_bytes(std::span(response->body)));
  if (response->status != 200 || !token) {
    std::printf("failure reason=token service answered %d with %zu bytes\n", response->status, response->body.size());
    return std::nullopt;
  }
  std::printf("token from=%s bytes=%zu\n", o.token_url.c_str(), response->body.size());
  return *token;
#else
  (void)o;
  std::printf("failure reason=built without cpp-httplib: use --token-file or --server\n");
  return std::nullopt;
#endif
}

std::optional<courier::ConnectToken> read_token(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes(std::istreambuf_iterator<char>(in), {});
  const auto token = courier::ConnectToken::from_bytes(std::as_bytes(std::span(bytes)));
  if (!token) std::printf("failure reason=%s holds no 2048-byte connect token\n", file.c_str());
  return token ? std::optional(*token) : std::nullopt;
}

std::optional<courier::ConnectToken> make_token(const Options& o, courier::UnixSeconds now) {
  const auto key = chat::read_key(o.key_hex);
  if (!key) {
    std::printf("failure reason=--server needs the private key (--private-key or $%s)\n", chat::key_variable);
    return std::nullopt;
  }
  const auto token = courier::make_connect_token<chat::Pack>(*key, o.client_id, {o.server}, now);
  if (!token) std::printf("failure reason=%s\n", token.error().message().c_str());
  return token ? std::optional(*token) : std::nullopt;
}

/// The first server the token names (a token is opaque to the client but for its public part).
courier::Address server_of(const courier::ConnectToken& token) {
  return token.server_addresses()[0];
}

/// Loopback servers are reached from 127.0.0.1; others from the wildcard of their family.
courier::Address bind_address_for(courier::Address server) {
  const std::string text = server.to_string();
  if (text.starts_with("127.")) return *courier::Address::parse("127.0.0.1:0");
  if (text.starts_with("[::1]")) return *courier::Address::parse("[::1]:0");
  return *courier::Address::parse(server.is_ipv6() ? "[::]:0" : "0.0.0.0:0");
}

// ---- the conversation --------------------------------------------------------------------

/// What this client is waiting for, step by step. C is the client type (over UDP or WebSocket;
/// the events are the same).
template <class C>
class Conversation {
 public:
  Conversation(C& client, const Options& o) : client_(client), o_(o) {}

  /// One tick: moves the script on, then reacts to events (what either sent leaves when the
  /// drain ends). False once it is over.
  bool step(courier::TimePoint now) {
    if (!failed_ && client_.connected()) advance(now);
    while (auto e = client_.poll_event()) handle(*e);
    return !failed_ && !ended_ && phase_ != Phase::done;
  }

  [[nodiscard]] bool succeeded() const noexcept { return phase_ == Phase::done && !failed_; }
  void print_summary() const {
    std::printf("summary said=%zu echoed=%zu heard=%zu online=%zu result=%s\n", o_.lines.size(), echoes_, heard_,
                online_, succeeded() ? "ok" : "failed");
  }
  /// Where the script stopped, for the failure line.
  [[nodiscard]] const char* waiting_for() const noexcept {
    switch (phase_) {
      case Phase::connecting: return "the connection";
      case Phase::waiting_for_peers: return "peers to come online";
      case Phase::listening: return "echoes and other people's lines";
      case Phase::final_request: return "the answer to WhoIsOnline";
      case Phase::done: break;
    }
    return "nothing";
  }

 private:
  enum class Phase { connecting, waiting_for_peers, listening, final_request, done };

  void advance(courier::TimePoint now) {
    if (phase_ == Phase::waiting_for_peers && now >= next_poll_) {
      ask_who_is_online();
      next_poll_ = now + 250ms;
    }
    if (phase_ == Phase::waiting_for_peers && online_ >= o_.peers + 1) speak();
    if (phase_ == Phase::listening && echoes_ == o_.lines.size() && heard_ >= o_.expect) {
      phase_ = Phase::final_request;
      final_request_ = ask_who_is_online();
    }
  }

  void handle(typename C::Event& e) {
    courier::match(
        e,
        [&](typename C::Connected& c) {
          std::printf("connected slot=%u reconnected=%d\n", c.slot, c.reconnected);
          if (phase_ == Phase::connecting) phase_ = Phase::waiting_for_peers;
        },
        [&](typename C::Disconnected& d) {
          std::printf("disconnected reason=%s reconnecting=%d\n", courier::describe(d.reason), d.reconnecting);
          if (!d.reconnecting) ended_ = true;
        },
        [&](typename C::ClosedByServer& c) {
          std::printf("closed by server reason=%s\n", courier::describe(c.reason));
          ended_ = true;
        },
        [&](typename C::IsDead& d) {
          std::printf("gave up reconnecting reason=%s\n", courier::describe(d.reason));
          ended_ = true;
        },
        [&](typename C::template Message<chat::Said>& m) { on_said(m.message); },
        [&](typename C::template Message<chat::Notice>& m) { std::printf("* %s\n", m.message.text.c_str()); },
        [&](typename C::template Response<chat::Online>& r) { on_online(r.id, r.response); },
        [&](typename C::RequestEnded& r) {
          std::printf("request %llu ended status=%s\n", static_cast<unsigned long long>(r.id), courier::describe(r.status));
          if (r.id == final_request_) fail("WhoIsOnline got no answer", {});
        },
        [](auto&) {});  // Say only travels client → server
  }

  void on_said(const chat::Said& s) {
    std::printf("<%s> %s\n", s.name.c_str(), s.text.c_str());
    // A token file hides the client id unless --client-id names it: then echoes go by name.
    const bool own = o_.token_file.empty() || o_.client_id_given ? s.from == o_.client_id : s.name.view() == o_.name;
    if (own) ++echoes_;
    else ++heard_;
  }

  void on_online(courier::RequestId id, const chat::Online& online) {
    online_ = online.total;
    if (id != final_request_) return;
    std::string names;
    for (const chat::Member& m : online.members) names += (names.empty() ? "" : ", ") + std::string(m.name.view());
    std::printf("online %u: %s\n", online.total, names.c_str());
    phase_ = Phase::done;
  }

  courier::RequestId ask_who_is_online() {
    const courier::RequestSignal r = client_.request(chat::WhoIsOnline{});
    if (!r) fail("request refused", r.error);
    return r.id;
  }

  void speak() {
    phase_ = Phase::listening;
    for (const std::string& line : o_.lines) {
      chat::Say say;
      if (!say.text.try_assign(line)) return fail("line longer than 200 bytes", {});
      if (const auto s = client_.send(say); !s) return fail("send refused", s.error);
    }
  }

  void fail(const char* what, std::error_code ec) {
    std::printf("failure reason=%s%s%s\n", what, ec ? ": " : "", ec ? ec.message().c_str() : "");
    failed_ = true;
  }

  C& client_;
  const Options& o_;
  Phase phase_ = Phase::connecting;
  courier::TimePoint next_poll_{};
  courier::RequestId final_request_ = 0;
  std::size_t echoes_ = 0, heard_ = 0, online_ = 0;
  bool failed_ = false, ended_ = false;
};

/// Connects over `transport`, talks, leaves: the exit code.
template <class Transport>
int run(const Options& o, const courier::ConnectToken& token, Transport transport, courier::SteadyClock& clock,
        courier::TimePoint end) {
  using C = courier::Client<courier::WithTransport<chat::Pack, Transport>>;
  C client(std::move(transport));
  chat::Hello hello;
  hello.name.assign(o.name);
  if (const auto ec = client.connect(token, hello)) {
    std::printf("failure reason=connect refused: %s\n", ec.message().c_str());
    return 1;
  }
  const bool id_known = o.token_file.empty() || o.client_id_given;  // a token file holds its own
  std::string servers;  // tried in this order
  for (const courier::Address& a : token.server_addresses()) servers += (servers.empty() ? "" : ",") + a.to_string();
  std::printf("connecting name=%s client_id=%s servers=%s over=%s\n", o.name.c_str(),
              id_known ? std::to_string(o.client_id).c_str() : "(the token's)", servers.c_str(),
              o.link == courier::Address::Link::datagram ? "udp" : o.link == courier::Address::Link::websocket ? "ws" : "wss");
  Conversation<C> talk(client, o);
  bool going = true;
  while (going && clock.now() < end) {
    client.update(clock);
    going = talk.step(clock.now());
    std::fflush(stdout);
    client.wait(5ms);  // returns early when a datagram arrives
  }
  if (going) std::printf("failure reason=timed out after %.0f s waiting for %s\n", o.seconds, talk.waiting_for());
  client.disconnect();  // the server is told at once
  talk.print_summary();
  return talk.succeeded() ? 0 : 1;
}

/// The same over WebSocket: every entry of the token is dialled as ws:// (or wss://).
int run_websocket(const Options& o, const courier::ConnectToken& token, courier::SteadyClock& clock,
                  courier::TimePoint end) {
#ifdef COURIER_CHAT_WEBSOCKET
  courier::WebSocketClientConfig config;
  config.secure = o.link == courier::Address::Link::websocket_secure;
  config.ca_file = o.ca;  // trusted beside the system's store; verification stays on
  return run(o, token, courier::WebSocketClient(config), clock, end);
#else
  (void)token, (void)clock, (void)end;
  std::printf("failure reason=built without the WebSocket transport (Boost.Beast and OpenSSL): %s needs it\n",
              o.link == courier::Address::Link::websocket ? "ws://" : "wss://");
  return 1;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) return usage();
  if (o.read_stdin)
    for (std::string line; std::getline(std::cin, line);) o.lines.push_back(line);
  while (o.client_id == 0) {
    courier::Netcode102::random_bytes(std::as_writable_bytes(std::span(&o.client_id, 1)));
    o.client_id &= 0x7FFF'FFFF'FFFF'FFFF;  // what the token service accepts: 1 .. 2^63-1
  }

  courier::SteadyClock clock;
  const auto end = clock.now() + courier::from_seconds(o.seconds);  // fetching the token included
  try {
    const std::optional<courier::ConnectToken> token = !o.token_url.empty()    ? fetch_token(o)
                                                       : !o.token_file.empty() ? read_token(o.token_file)
                                                                               : make_token(o, clock.unix_now());
    if (!token) return 1;
    if (o.link != courier::Address::Link::datagram) return run_websocket(o, *token, clock, end);
    return run(o, *token, courier::Udp(bind_address_for(server_of(*token))), clock, end);
  } catch (const std::exception& e) {
    std::printf("failure reason=%s\n", e.what());
    return 1;
  }
}
