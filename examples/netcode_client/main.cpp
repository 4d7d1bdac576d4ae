// netcode_client: a netcode.io 1.02 client on UDP that sends a small payload every 100 ms and
// counts what comes back. It makes its own connect token from the private key (as a backend
// would), or reads one written by courier-token.
//
//   netcode_client <server address> <private key, 64 hex digits> <protocol id> [options]
//     --client-id N      (default: random)
//     --token FILE       use a 2048-byte token file instead of generating one
//     --seconds S        run for S seconds (default 10)
//     --timeout S        token timeout seconds (default 5)
//
// Prints one line per connect, disconnect and failure with its reason, and payload counts.

#include <courier/core/hex.hpp>
#include <courier/core/steady_clock.hpp>
#include <courier/netcode/client.hpp>
#include <courier/netcode/generate_connect_token.hpp>
#include <courier/transport/udp.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>

namespace {

int usage() {
  std::fprintf(stderr, "usage: netcode_client <server address> <private key hex> <protocol id> "
                       "[--client-id N] [--token FILE] [--seconds S] [--timeout S]\n");
  return 2;
}

void print_event(const courier::netcode::ClientEvent& e) {
  using courier::netcode::ClientEventType;
  if (e.type == ClientEventType::connected)
    std::printf("connect server=%s\n", e.server.to_string().c_str());
  else if (e.type == ClientEventType::disconnected)
    std::printf("disconnect server=%s reason=%s\n", e.server.to_string().c_str(), courier::netcode::describe(e.reason));
  else
    std::printf("failure state=%s reason=%s\n", courier::netcode::describe(e.state), courier::netcode::describe(e.reason));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return usage();
  courier::ConnectTokenParams params;
  const auto server = courier::Address::parse(argv[1]);
  if (!server || !courier::parse_hex(argv[2], params.private_key)) return usage();
  params.protocol_id = std::strtoull(argv[3], nullptr, 0);
  params.public_addresses = {*server};
  courier::Netcode102::random_bytes(std::as_writable_bytes(std::span(&params.client_id, 1)));
  std::string token_file;
  double seconds = 10;
  for (int i = 4; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--client-id") params.client_id = std::strtoull(argv[i + 1], nullptr, 0);
    else if (flag == "--token") token_file = argv[i + 1];
    else if (flag == "--seconds") seconds = std::strtod(argv[i + 1], nullptr);
    else if (flag == "--timeout") params.timeout_seconds = std::atoi(argv[i + 1]);
    else return usage();
  }
  courier::SteadyClock clock;
  std::array<std::byte, courier::netcode::connect_token_bytes> token{};
  if (!token_file.empty()) {
    std::ifstream in(token_file, std::ios::binary);
    if (!in.read(reinterpret_cast<char*>(token.data()), static_cast<std::streamsize>(token.size()))) {
      std::printf("failure reason=cannot read a 2048-byte token from %s\n", token_file.c_str());
      return 1;
    }
  } else {
    params.now = clock.unix_now();
    if (const auto ec = courier::generate_connect_token(params, token)) {
      std::printf("failure reason=%s\n", ec.message().c_str());
      return 1;
    }
  }
  try {
    const auto bind = server->is_ipv6() ? *courier::Address::parse("[::]:0") : *courier::Address::parse("0.0.0.0:0");
    courier::netcode::Client<courier::Udp> client{courier::Udp(bind)};
    if (client.connect(token, clock.now())) {
      while (auto e = client.poll_event()) print_event(*e);
      return 1;
    }
    const auto end = clock.now() + courier::from_seconds(seconds);
    auto next_send = clock.now();
    unsigned long long sent = 0, received = 0;
    while (clock.now() < end && client.state() > courier::netcode::ClientState::disconnected) {
      client.update(clock.now());
      while (auto e = client.poll_event()) print_event(*e);
      while (client.receive()) ++received;
      if (client.connected() && clock.now() >= next_send) {
        std::array<std::byte, 32> payload{};
        payload[0] = static_cast<std::byte>(sent);
        if (!client.send(payload)) ++sent;
        next_send = clock.now() + std::chrono::milliseconds(100);
      }
      client.flush();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    client.disconnect();
    while (auto e = client.poll_event()) print_event(*e);
    std::printf("payloads sent=%llu received=%llu\n", sent, received);
    return client.stats().payloads_received > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::printf("failure reason=%s\n", e.what());
    return 1;
  }
}
