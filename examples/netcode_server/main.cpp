// netcode_server: a netcode.io 1.02 server on UDP that echoes every payload back to its sender.
// Meant for interoperability tests against any other netcode.io 1.02 implementation.
//
//   netcode_server <public address> <private key, 64 hex digits> <protocol id> [options]
//     --bind ADDR        address to bind (default: the wildcard of the public address's family
//                        with its port, e.g. 0.0.0.0:40000)
//     --max-clients N    slots (default 256)
//     --max-token-lifetime S   the restart rule (default 30): tokens living longer than S are
//                        not covered, never-expiring ones are refused; 0 turns it off
//     --seconds S        stop after S seconds (default: run until Ctrl-C)
//
// Prints one line per connect, disconnect (also for the clients still connected when it stops)
// and failure; on exit, payload counts and the datagrams it dropped, by reason (a client that
// disconnects sends 10 disconnect packets: the 9 after the first read "unknown sender").

#include <courier/core/steady_clock.hpp>
#include <courier/crypto/key.hpp>
#include <courier/netcode/netcode_server.hpp>
#include <courier/transport/udp.hpp>
#include <courier/transport/wait.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

volatile std::sig_atomic_t g_stop = 0;

int usage() {
  std::fprintf(stderr, "usage: netcode_server <public address> <private key hex> <protocol id> "
                       "[--bind ADDR] [--max-clients N] [--max-token-lifetime S] [--seconds S]\n");
  return 2;
}

void print_event(const courier::netcode::NetcodeServerEvent& e) {
  using courier::netcode::ServerEventType;
  if (e.type == ServerEventType::client_connected)
    std::printf("connect client_index=%u client_id=%llu address=%s\n", e.client_index,
                static_cast<unsigned long long>(e.client_id), e.address.to_string().c_str());
  else if (e.type == ServerEventType::client_disconnected)
    std::printf("disconnect client_index=%u client_id=%llu reason=%s\n", e.client_index,
                static_cast<unsigned long long>(e.client_id), courier::netcode::describe(e.reason));
  else
    std::printf("failure reason=address mismatch token_address=%s from=%s\n", e.token_address.to_string().c_str(),
                e.address.to_string().c_str());
  std::fflush(stdout);
}

/// One line per reason that dropped anything ("drops none" when nothing was dropped).
void print_drops(const courier::DropCounters& drops) {
  if (drops.total() == 0) std::printf("drops none\n");
  for (std::size_t i = 0; i < courier::drop_reason_count; ++i) {
    const auto reason = static_cast<courier::DropReason>(i);
    if (drops[reason] != 0)
      std::printf("drops reason=%s count=%llu\n", courier::describe(reason), static_cast<unsigned long long>(drops[reason]));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return usage();
  courier::netcode::NetcodeServerConfig config;
  const auto public_address = courier::Address::parse(argv[1]);
  const auto key = courier::Key::from_hex(argv[2]);
  if (!public_address || !key) return usage();
  config.private_key = *key;
  config.public_address = *public_address;
  config.protocol_id = std::strtoull(argv[3], nullptr, 0);
  courier::Address bind = public_address->is_ipv6() ? *courier::Address::parse("[::]") : *courier::Address::parse("0.0.0.0");
  bind.set_port(public_address->port());
  double seconds = -1;
  for (int i = 4; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--bind" && courier::Address::parse(argv[i + 1])) bind = *courier::Address::parse(argv[i + 1]);
    else if (flag == "--max-clients") config.max_clients = std::strtoul(argv[i + 1], nullptr, 10);
    else if (flag == "--max-token-lifetime") config.max_token_lifetime = std::chrono::seconds(std::atoll(argv[i + 1]));
    else if (flag == "--seconds") seconds = std::strtod(argv[i + 1], nullptr);
    else return usage();
  }
  config.log = [](std::string_view line) { std::printf("log %.*s\n", static_cast<int>(line.size()), line.data()); };
  std::signal(SIGINT, [](int) { g_stop = 1; });
  try {
    courier::netcode::NetcodeServer<courier::Udp> server(courier::Udp(bind), config);
    std::printf("listening bind=%s public=%s protocol=0x%llx\n", server.bind_address().to_string().c_str(),
                config.public_address.to_string().c_str(), static_cast<unsigned long long>(config.protocol_id));
    std::fflush(stdout);
    courier::SteadyClock clock;
    const auto end = clock.now() + courier::from_seconds(seconds);
    unsigned long long received = 0, sent = 0;
    while (!g_stop && (seconds < 0 || clock.now() < end)) {
      server.update(clock);
      while (auto e = server.poll_event()) print_event(*e);
      while (auto p = server.receive()) {
        ++received;
        if (!server.send(p->client_index, p->bytes)) ++sent;  // echo
      }
      server.flush();
      courier::wait_for_input(std::chrono::milliseconds(10), server.transport());  // or a datagram
    }
    server.stop();  // disconnects the clients still connected
    while (auto e = server.poll_event()) print_event(*e);
    std::printf("payloads received=%llu sent=%llu\n", received, sent);
    std::printf("unauthenticated datagrams=%llu request_decryptions=%llu\n",
                static_cast<unsigned long long>(server.stats().unauthenticated_datagrams),
                static_cast<unsigned long long>(server.stats().request_decryptions));
    print_drops(server.stats().drops);
  } catch (const std::exception& e) {
    std::printf("failure reason=%s\n", e.what());
    return 1;
  }
  return 0;
}
