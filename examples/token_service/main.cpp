// token_service: the web backend of the chat example. A client that has logged in (here: any
// client) asks it for a connect token; the service signs one with the private key it shares
// with the chat server, for the chat pack's protocol id, naming the server's public address,
// valid for a few seconds. The token travels over HTTPS (it holds the client's session keys
// in the clear); plain HTTP is for trying things out on 127.0.0.1 only.
//
//   token_service --server ADDR [options]
//     --server ADDR        the chat server's public address, written into every token; give
//                          it again for each more (up to 32, tried in this order: its UDP
//                          address first, then its WebSocket one, e.g. ws://127.0.0.1:40101)
//     --listen HOST:PORT   where to serve (default 127.0.0.1:40180; port 0 picks one)
//     --private-key HEX    the shared key (default: $COURIER_CHAT_PRIVATE_KEY)
//     --cert FILE --key FILE   serve HTTPS with this certificate and private key (PEM)
//     --expire S           token lifetime in seconds (default 30, chat_server's max_token_lifetime)
//     --timeout S          connection timeout written into tokens (default 5)
//     --seconds S          stop after S seconds (default 300; 0: only on SIGINT / SIGTERM)
//     --check-https        exit 0 if this build can serve HTTPS, 3 if not
//     --page-dir DIR       also serve the files of DIR at / (the browser chat page, its .js
//                          and .wasm): the page then fetches /token from its own origin
//
//   GET /token?client_id=N   200 with the 2048-byte token (application/octet-stream);
//                            400 for a missing or malformed id (decimal, 1 .. 2^63-1)
//   GET /<file>              with --page-dir: that file (.wasm as application/wasm, which
//                            browsers need to compile it while it downloads)

#include "chat_protocol.hpp"

#include <httplib.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace {

volatile std::sig_atomic_t g_stop = 0;

#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
constexpr bool https_available = true;
#else
constexpr bool https_available = false;
#endif

int usage() {
  std::fprintf(stderr, "usage: token_service --server ADDR [--listen HOST:PORT] [--private-key HEX] "
                       "[--cert FILE --key FILE] [--expire S] [--timeout S] [--seconds S] [--page-dir DIR] "
                       "[--check-https]\n");
  return 2;
}

struct Options {
  std::string listen = "127.0.0.1:40180";
  std::string key_hex, cert, tls_key, page_dir;
  double seconds = 300;
  courier::netcode::AddressList servers;  // the chat server's public addresses, in order
  bool too_many_servers = false;
  courier::TokenOptions token;  // expire_seconds 30, timeout_seconds 5
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--server" && courier::Address::parse(value)) o.too_many_servers |= !o.servers.push_back(*courier::Address::parse(value));
    else if (flag == "--listen") o.listen = value;
    else if (flag == "--private-key") o.key_hex = value;
    else if (flag == "--cert") o.cert = value;
    else if (flag == "--key") o.tls_key = value;
    else if (flag == "--expire") o.token.expire_seconds = std::strtoll(value, nullptr, 10);
    else if (flag == "--timeout") o.token.timeout_seconds = std::atoi(value);
    else if (flag == "--seconds") o.seconds = std::strtod(value, nullptr);
    else if (flag == "--page-dir") o.page_dir = value;
    else return false;
  }
  return argc % 2 == 1 && !o.servers.empty() && !o.too_many_servers && o.cert.empty() == o.tls_key.empty() &&
         o.token.expire_seconds > 0;
}

/// A client id from the query: decimal digits only, 1 .. 2^63-1.
std::optional<std::uint64_t> parse_client_id(const std::string& text) {
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || end != text.data() + text.size() || id == 0 || id > 0x7FFF'FFFF'FFFF'FFFFull)
    return std::nullopt;
  return id;
}

std::unique_ptr<httplib::Server> make_server(const Options& o) {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (!o.cert.empty()) return std::make_unique<httplib::SSLServer>(o.cert.c_str(), o.tls_key.c_str());
#endif
  return std::make_unique<httplib::Server>();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--check-https") return https_available ? 0 : 3;
  Options o;
  if (!parse(argc, argv, o)) return usage();
  const auto key = chat::read_key(o.key_hex);
  if (!key) {
    std::fprintf(stderr, "token_service: give the private key (64 hex digits) with --private-key or $%s\n",
                 chat::key_variable);
    return 2;
  }
  if (!o.cert.empty() && !https_available) {
    std::fprintf(stderr, "token_service: built without OpenSSL: --cert/--key need HTTPS support\n");
    return 2;
  }
  const std::size_t colon = o.listen.rfind(':');
  if (colon == std::string::npos) return usage();
  std::string host = o.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const int port = std::atoi(o.listen.c_str() + colon + 1);

  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up mid-answer must not end the service

  const auto server = make_server(o);
  if (!server->is_valid()) {
    std::printf("failure reason=cannot load the certificate %s or key %s\n", o.cert.c_str(), o.tls_key.c_str());
    return 1;
  }
  if (!o.page_dir.empty()) {
    server->set_file_extension_and_mimetype_mapping("wasm", "application/wasm");
    if (!server->set_mount_point("/", o.page_dir)) {
      std::printf("failure reason=cannot serve %s (not a folder)\n", o.page_dir.c_str());
      return 1;
    }
  }
  std::atomic<unsigned long long> issued{0}, refused{0};
  const courier::SteadyClock clock;
  server->Get("/token", [&](const httplib::Request& request, httplib::Response& response) {
    const auto id = parse_client_id(request.get_param_value("client_id"));
    if (!id) {
      ++refused;
      response.status = 400;
      response.set_content("client_id must be a decimal number in 1 .. 2^63-1\n", "text/plain");
      return;
    }
    const auto token = courier::make_connect_token<chat::Pack>(*key, *id, o.servers, clock.unix_now(), o.token);
    if (!token) {
      ++refused;
      response.status = 500;
      response.set_content(token.error().message() + "\n", "text/plain");
      return;
    }
    ++issued;
    response.set_header("Cache-Control", "no-store");
    response.set_content(reinterpret_cast<const char*>(token->bytes().data()), token->bytes().size(),
                         "application/octet-stream");
    std::printf("issued client_id=%llu to=%s\n", static_cast<unsigned long long>(*id), request.remote_addr.c_str());
    std::fflush(stdout);
  });

  const int bound = port == 0 ? server->bind_to_any_port(host) : (server->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    std::printf("failure reason=cannot listen on %s\n", o.listen.c_str());
    return 1;
  }
  const bool https = !o.cert.empty();
  const std::string shown_host = host.find(':') == std::string::npos ? host : "[" + host + "]";
  std::string servers;
  for (const courier::Address& a : o.servers) servers += (servers.empty() ? "" : ",") + a.to_string();
  std::printf("listening url=%s://%s:%d/token server=%s protocol=0x%016llx expire=%llds\n", https ? "https" : "http",
              shown_host.c_str(), bound, servers.c_str(),
              static_cast<unsigned long long>(chat::Pack::protocol_id), static_cast<long long>(o.token.expire_seconds));
  std::fflush(stdout);

  // listen_after_bind blocks; this thread stops it on a signal or at the time limit. stop()
  // only works once the server runs, so it is repeated until listen returns.
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    const auto end = clock.now() + courier::from_seconds(o.seconds);
    while (!done) {
      if (g_stop || (o.seconds > 0 && clock.now() >= end)) server->stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  const bool served = server->listen_after_bind();
  done = true;
  watcher.join();
  std::printf("stopping reason=%s\n", g_stop ? "signal" : "time limit");
  std::printf("summary issued=%llu refused=%llu\n", issued.load(), refused.load());
  return served || g_stop ? 0 : 1;
}
