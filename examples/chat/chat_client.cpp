// chat_client: joins the chat room, says a few scripted lines, asks who is online, prints what
// it hears, and leaves.
//
//   chat_client --name NAME [token source] [options] [LINE...]
//   token source, one of:
//     --token-url URL      fetch it from the token service: http(s)://HOST:PORT/token
//     --ca FILE            with an https URL: the CA certificate that signed the service's
//     --token-file FILE    read a 2048-byte token (e.g. written by courier-token)
//     --server ADDR        make one here from the private key, standalone (with --private-key
//                          HEX or $COURIER_CHAT_PRIVATE_KEY)
//   options:
//     --client-id N        (default: random; with --token-file, the id the token was made for)
//     --stdin              also read lines from standard input (until end of file)
//     --peers N            wait until N others are online before speaking (default 0)
//     --expect N           wait to hear N lines from others before leaving (default 0)
//     --seconds S          give up after S seconds (default 20)
//
// Exit code 0 when every line was echoed back by the server, the expected lines arrived and
// the WhoIsOnline request was answered; 1 otherwise; 2 for bad usage.

#include "chat_protocol.hpp"

#include <courier/core/steady_clock.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/netcode/connect_token.hpp>
#include <courier/transport/udp.hpp>
#include <courier/typed/client.hpp>

#ifdef COURIER_CHAT_HTTP
#include <httplib.h>
#endif

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using Client = courier::Client<chat::Pack>;
namespace ev = courier::client_event;
using namespace std::chrono_literals;

int usage() {
  std::fprintf(stderr,
               "usage: chat_client --name NAME (--token-url URL [--ca FILE] | --token-file FILE | --server ADDR "
               "[--private-key HEX]) [--client-id N] [--stdin] [--peers N] [--expect N] [--seconds S] [LINE...]\n");
  return 2;
}

struct Options {
  std::string name, token_url, ca, token_file, key_hex;
  courier::Address server;
  std::uint64_t client_id = 0;
  bool client_id_given = false;
  bool read_stdin = false;
  std::size_t peers = 0, expect = 0;
  double seconds = 20;
  std::vector<std::string> lines;
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--stdin") {
      o.read_stdin = true;
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
  const int sources = !o.token_url.empty() + !o.token_file.empty() + !o.server.is_none();
  return !o.name.empty() && o.name.size() <= chat::max_name && sources == 1 && o.seconds > 0;
}

// ---- getting a connect token -------------------------------------------------------------

std::optional<chat::Token> fetch_token(const Options& o) {
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
  chat::Token token{};
  if (response->status != 200 || response->body.size() != token.size()) {
    std::printf("failure reason=token service answered %d with %zu bytes\n", response->status, response->body.size());
    return std::nullopt;
  }
  std::memcpy(token.data(), response->body.data(), token.size());
  std::printf("token from=%s bytes=%zu\n", o.token_url.c_str(), token.size());
  return token;
#else
  (void)o;
  std::printf("failure reason=built without cpp-httplib: use --token-file or --server\n");
  return std::nullopt;
#endif
}

std::optional<chat::Token> read_token(const std::string& file) {
  chat::Token token{};
  std::ifstream in(file, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(token.data()), static_cast<std::streamsize>(token.size()))) {
    std::printf("failure reason=cannot read a 2048-byte token from %s\n", file.c_str());
    return std::nullopt;
  }
  return token;
}

std::optional<chat::Token> make_token(const Options& o, courier::UnixSeconds now) {
  chat::TokenIssuer issuer;
  issuer.server = o.server;
  if (!chat::read_key(o.key_hex, issuer.private_key)) {
    std::printf("failure reason=--server needs the private key (--private-key or $%s)\n", chat::key_variable);
    return std::nullopt;
  }
  chat::Token token{};
  if (const auto ec = issuer.issue(o.client_id, now, token)) {
    std::printf("failure reason=%s\n", ec.message().c_str());
    return std::nullopt;
  }
  return token;
}

/// Loopback servers are reached from 127.0.0.1; others from the wildcard of their family.
courier::Address bind_address_for(const chat::Token& token) {
  const auto parsed = courier::netcode::read_connect_token(token);
  if (!parsed || parsed->server_addresses.empty()) return *courier::Address::parse("0.0.0.0:0");
  const courier::Address server = parsed->server_addresses[0];
  const std::string text = server.to_string();
  if (text.starts_with("127.")) return *courier::Address::parse("127.0.0.1:0");
  if (text.starts_with("[::1]")) return *courier::Address::parse("[::1]:0");
  return *courier::Address::parse(server.is_ipv6() ? "[::]:0" : "0.0.0.0:0");
}

// ---- the conversation --------------------------------------------------------------------

/// What this client is waiting for, step by step.
class Conversation {
 public:
  Conversation(Client& client, const Options& o) : client_(client), o_(o) {}

  /// One tick: reacts to events, then moves the script on. False once it is over.
  bool step(courier::TimePoint now) {
    while (auto e = client_.poll_event()) handle(*e);
    if (failed_ || !client_.connected()) return !failed_ && !ended_;
    if (phase_ == Phase::waiting_for_peers && now >= next_poll_) {
      ask_who_is_online();
      next_poll_ = now + 250ms;
    }
    if (phase_ == Phase::waiting_for_peers && online_ >= o_.peers + 1) speak();
    if (phase_ == Phase::listening && echoes_ == o_.lines.size() && heard_ >= o_.expect) {
      phase_ = Phase::final_request;
      final_request_ = ask_who_is_online();
    }
    return phase_ != Phase::done;
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

  void handle(Client::Event& e) {
    std::visit(courier::overloaded{
                   [&](ev::Connected& c) {
                     std::printf("connected slot=%u reconnected=%d\n", c.slot, c.reconnected);
                     if (phase_ == Phase::connecting) phase_ = Phase::waiting_for_peers;
                   },
                   [&](ev::Disconnected& d) {
                     std::printf("disconnected reason=%s reconnecting=%d\n", courier::describe(d.reason), d.reconnecting);
                     if (!d.reconnecting) ended_ = true;
                   },
                   [&](ev::ClosedByServer& c) {
                     std::printf("closed by server reason=%s\n", courier::describe(c.reason));
                     ended_ = true;
                   },
                   [&](ev::IsDead& d) {
                     std::printf("gave up reconnecting reason=%s\n", courier::describe(d.reason));
                     ended_ = true;
                   },
                   [&](ev::Message<chat::Said>& m) { on_said(m.message); },
                   [&](ev::Message<chat::Notice>& m) { std::printf("* %s\n", m.message.text.c_str()); },
                   [&](ev::Response<chat::Online>& r) { on_online(r.id, r.response); },
                   [&](ev::RequestEnded& r) {
                     std::printf("request %llu ended status=%s\n", static_cast<unsigned long long>(r.id),
                                 courier::describe(r.status));
                     if (r.id == final_request_) fail("WhoIsOnline got no answer", {});
                   },
                   [](auto&) {}},  // Say only travels client → server
               e);
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

  Client& client_;
  const Options& o_;
  Phase phase_ = Phase::connecting;
  courier::TimePoint next_poll_{};
  courier::RequestId final_request_ = 0;
  std::size_t echoes_ = 0, heard_ = 0, online_ = 0;
  bool failed_ = false, ended_ = false;
};

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
    std::optional<chat::Token> token = !o.token_url.empty()    ? fetch_token(o)
                                       : !o.token_file.empty() ? read_token(o.token_file)
                                                               : make_token(o, clock.unix_now());
    if (!token) return 1;
    Client client(courier::Udp(bind_address_for(*token)));
    chat::Hello hello;
    hello.name.assign(o.name);
    if (const auto ec = client.connect(*token, hello, clock.now())) {
      std::printf("failure reason=connect refused: %s\n", ec.message().c_str());
      return 1;
    }
    std::printf("connecting name=%s client_id=%llu server=%s\n", o.name.c_str(),
                static_cast<unsigned long long>(o.client_id), client.server_address().to_string().c_str());
    Conversation talk(client, o);
    bool going = true;
    while (going && clock.now() < end) {
      client.update(clock.now());
      going = talk.step(clock.now());
      client.flush();
      std::fflush(stdout);
      std::this_thread::sleep_for(5ms);
    }
    if (going) std::printf("failure reason=timed out after %.0f s waiting for %s\n", o.seconds, talk.waiting_for());
    client.disconnect();  // the server is told at once
    talk.print_summary();
    return talk.succeeded() ? 0 : 1;
  } catch (const std::exception& e) {
    std::printf("failure reason=%s\n", e.what());
    return 1;
  }
}
