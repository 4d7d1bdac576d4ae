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
// Prints one line per connect, disconnect and failure with its reason; on exit, payload counts
// and the datagrams it dropped, by reason.

#include <courier/core/steady_clock.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/netcode/netcode_client.hpp>
#include <courier/netcode/make_connect_token.hpp>
#include <courier/transport/udp.hpp>
#include <courier/transport/wait.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace {

int usage() {
  std::fprintf(stderr, "usage: netcode_client <server address> <private key hex> <protocol id> "
                       "[--client-id N] [--token FILE] [--seconds S] [--timeout S]\n");
  return 2;
}

void print_event(const courier::netcode::NetcodeClientEvent& e) {
  using courier::netcode::ClientEventType;
  if (e.type == ClientEventType::connected)
    std::printf("connect server=%s\n", e.server.to_string().c_str());
  else if (e.type == ClientEventType::disconnected)
    std::printf("disconnect server=%s reason=%s\n", e.server.to_string().c_str(), courier::netcode::describe(e.reason));
  else
    std::printf("failure state=%s reason=%s\n", courier::netcode::describe(e.state), courier::netcode::describe(e.reason));
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

/// The token: read from `file` (2048 bytes, e.g. from courier-token), or made here as a backend would.
courier::Result<courier::ConnectToken> token_for(const std::string& file, const courier::ConnectTokenParams& params) {
  if (file.empty()) return courier::netcode::make_connect_token<courier::Netcode102>(params);
  std::ifstream in(file, std::ios::binary);
  const std::string bytes(std::istreambuf_iterator<char>(in), {});
  return courier::ConnectToken::from_bytes(std::as_bytes(std::span(bytes)));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return usage();
  courier::ConnectTokenParams params;
  const auto server = courier::Address::parse(argv[1]);
  const auto key = courier::Key::from_hex(argv[2]);
  if (!server || !key) return usage();
  params.private_key = *key;
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
    else if (flag == "--timeout") params.options.timeout_seconds = std::atoi(argv[i + 1]);
    else return usage();
  }
  courier::SteadyClock clock;
  params.now = clock.unix_now();
  const auto token = token_for(token_file, params);
  if (!token) {
    std::printf("failure reason=%s (%s)\n", token.error().message().c_str(), token_file.empty() ? "token" : token_file.c_str());
    return 1;
  }
  try {
    const auto bind = server->is_ipv6() ? *courier::Address::parse("[::]:0") : *courier::Address::parse("0.0.0.0:0");
    courier::netcode::NetcodeClient<courier::Udp> client{courier::Udp(bind)};
    if (client.connect(token->bytes(), clock.now())) {
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
      courier::wait_for_input(std::chrono::milliseconds(10), client.transport());  // or a datagram
    }
    if (!client.connected() && client.state() > courier::netcode::ClientState::disconnected)
      std::printf("failure reason=still %s after %g s\n", courier::netcode::describe(client.state()), seconds);
    client.disconnect();
    while (auto e = client.poll_event()) print_event(*e);
    std::printf("payloads sent=%llu received=%llu\n", sent, received);
    print_drops(client.stats().drops);
    return client.stats().payloads_received > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::printf("failure reason=%s\n", e.what());
    return 1;
  }
}
