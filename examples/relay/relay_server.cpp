// relay_server: the server two relay_peer processes meet through. It gives every client a
// virtual address, answers Lookup{name} from the names clients said hello with, and forwards
// the data of virtual sockets between clients (the relay does that inside Server::update).
//
//   relay_server [options]
//     --port N             UDP port on 127.0.0.1 (default 40200; 0 picks one)
//     --private-key HEX    the key connect tokens are made with (default: $COURIER_RELAY_PRIVATE_KEY)
//     --max-clients N      (default 64)
//     --seconds S          stop after S seconds (default 300; 0: only on a signal)
//
// It stops on SIGINT or SIGTERM. Prints "listening address=127.0.0.1:PORT ..." first, then one
// line per connect (with the virtual address), disconnect and lookup, and at the end the relay
// statistics and a summary. Exit code 0 after a clean stop, 1 when it cannot start, 2 for bad
// usage.

#include "relay_protocol.hpp"

#include <csignal>
#include <cstdio>
#include <exception>
#include <map>
#include <string>

namespace {

volatile std::sig_atomic_t g_stop = 0;

using S = courier::Server<relay::Pack>;

int usage() {
  std::fprintf(stderr, "usage: relay_server [--port N] [--private-key HEX] [--max-clients N] [--seconds S]\n");
  return 2;
}

struct Options {
  unsigned long port = 40200;
  std::string key_hex;
  std::size_t max_clients = 64;
  double seconds = 300;
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--port") o.port = std::strtoul(value, nullptr, 10);
    else if (flag == "--private-key") o.key_hex = value;
    else if (flag == "--max-clients") o.max_clients = std::strtoul(value, nullptr, 10);
    else if (flag == "--seconds") o.seconds = std::strtod(value, nullptr);
    else return false;
  }
  return argc % 2 == 1 && o.port <= 65535 && o.max_clients > 0;
}

/// Who is connected under which name, and what happened.
class Directory {
 public:
  explicit Directory(S& server) : server_(server) {}

  void handle(S::Event& e) {
    courier::match(e, [&](S::Connected& c) { joined(c); }, [&](S::Disconnected& d) { left(d); },
                   [&](S::Request<relay::Lookup>& r) { lookup(r); },
                   [](auto&) {});  // Line only travels between peers, inside relay frames
  }

  void print_summary() const {
    const courier::RelayStats& r = server_.relay_stats();
    std::printf("relay sockets_opened=%llu sockets_open=%llu connects_failed=%llu forwarded_bytes=%llu "
                "spoofed_frames=%llu limit_refusals=%llu rate_limited_bytes=%llu idle_closes=%llu "
                "overflow_closes=%llu addresses=%zu\n",
                ull(r.sockets_opened), ull(r.sockets_open), ull(r.connects_failed), ull(r.forwarded_bytes),
                ull(r.spoofed_frames), ull(r.limit_refusals), ull(r.rate_limited_bytes), ull(r.idle_closes),
                ull(r.overflow_closes), server_.address_book().size());
    std::printf("summary connects=%llu disconnects=%llu lookups=%llu found=%llu\n", connects_, disconnects_,
                lookups_, found_);
  }

 private:
  static unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }

  void joined(const S::Connected& c) {
    ++connects_;
    std::string name(c.message.name.view());
    // The address is assigned when the hello is accepted, before this event comes out.
    const auto address = server_.virtual_address(c.client);
    std::printf("connect client_id=%llu name=%s address=%s virtual=%s\n", ull(c.client_id),
                name.empty() ? "-" : name.c_str(), c.address.to_string().c_str(),
                address ? address->to_string().c_str() : "none");
    if (!name.empty()) by_name_[name] = c.client;  // the latest client of a name wins
  }

  void left(const S::Disconnected& d) {
    ++disconnects_;
    std::string name = "-";
    for (auto it = by_name_.begin(); it != by_name_.end(); ++it) {
      if (it->second == d.client) {
        name = it->first;
        by_name_.erase(it);
        break;
      }
    }
    std::printf("disconnect client_id=%llu name=%s reason=%s\n", ull(d.client_id), name.c_str(),
                courier::describe(d.reason));
  }

  void lookup(S::Request<relay::Lookup>& r) {
    ++lookups_;
    relay::Found found;
    const auto it = by_name_.find(std::string(r.request.name.view()));
    if (it != by_name_.end()) {
      if (const auto address = server_.virtual_address(it->second)) {
        found.ok = true;
        found.address = address->value;
        ++found_;
      }
    }
    std::printf("lookup name=%s found=%s\n", r.request.name.c_str(),
                found.ok ? courier::VirtualAddress{found.address}.to_string().c_str() : "no");
    if (const auto s = server_.respond(std::move(r.token), found); !s)
      std::printf("respond failed reason=%s\n", s.error.message().c_str());
  }

  S& server_;
  std::map<std::string, courier::ClientHandle> by_name_;
  unsigned long long connects_ = 0, disconnects_ = 0, lookups_ = 0, found_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) return usage();
  const auto key = relay::read_key(o.key_hex);
  if (!key) {
    std::fprintf(stderr, "relay_server: give the private key (64 hex digits) with --private-key or $%s\n",
                 relay::key_variable);
    return 2;
  }
  courier::ServerConfig config;
  config.netcode.private_key = *key;
  config.netcode.max_clients = o.max_clients;
  std::signal(SIGINT, [](int) { g_stop = 1; });
  std::signal(SIGTERM, [](int) { g_stop = 1; });
  try {
    // Relay<>: an InMemoryAddressBook of its own. The public address is the bound one.
    S server(courier::Udp(*courier::Address::parse("127.0.0.1:" + std::to_string(o.port))), config);
    Directory directory(server);
    std::printf("listening address=%s protocol=0x%016llx\n", server.bind_address().to_string().c_str(),
                static_cast<unsigned long long>(relay::Pack::protocol_id));
    courier::SteadyClock clock;
    const auto end = clock.now() + courier::from_seconds(o.seconds);
    while (!g_stop && (o.seconds <= 0 || clock.now() < end)) {
      server.update(clock);  // also forwards relay data and reaps idle sockets
      while (auto e = server.poll_event()) directory.handle(*e);  // answers leave when it ends
      std::fflush(stdout);
      server.wait(std::chrono::milliseconds(2));  // returns early when a datagram arrives
    }
    std::printf("stopping reason=%s\n", g_stop ? "signal" : "time limit");
    server.stop();  // every client is told: server shutting down
    while (auto e = server.poll_event()) directory.handle(*e);
    directory.print_summary();
  } catch (const std::exception& e) {
    std::printf("failure reason=%s\n", e.what());
    return 1;
  }
  return 0;
}
