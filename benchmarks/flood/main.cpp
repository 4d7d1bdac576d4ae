// courier_flood: legitimate players against a flooded server, on 127.0.0.1 (docs/SECURITY.md
// "Floods"). Per repetition and flood kind (none, garbage16, replay, protocol; alternating):
// a typed server (default settings) on core 0, a flooder on core 1 sending as fast as that core
// allows, and two players on core 0 that connect during the flood and play at 60 Hz.
// Reported per kind, min / median / max over the repetitions: flood datagrams sent and read per
// second, the kernel's receive-buffer drops, the server's CPU per flood datagram it read, the
// players' lost round trips, connect time, round-trip time, timeouts and reliable notes.
// Usage: courier_flood [--reps N] [--seconds S] [--kinds K,...] [--json FILE] [--md FILE] [--smoke]
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "flooder.hpp"
#include "report.hpp"
#include "session.hpp"

using namespace courier;
using namespace std::chrono_literals;

namespace flood {
namespace {

/// The kernel's count of UDP datagrams dropped for a full receive buffer (all sockets).
std::uint64_t kernel_rcvbuf_errors() {
  std::ifstream f("/proc/net/snmp");
  std::string line, header;
  while (std::getline(f, line)) {
    if (line.rfind("Udp:", 0) != 0) continue;
    if (header.empty()) {
      header = line;
      continue;
    }
    std::istringstream h(header), v(line);
    std::string name, value;
    while (h >> name && v >> value)
      if (name == "RcvbufErrors") return std::stoull(value);
  }
  return 0;
}

/// The 1078-byte connection request a client holding `token` sends.
std::vector<std::uint8_t> request_for(const ConnectToken& token) {
  const auto t = *netcode::read_connect_token(token.bytes());
  netcode::ConnectionRequestPacket p{t.protocol_id, t.expire_timestamp, t.nonce, t.private_data};
  std::vector<std::byte> out(netcode::connection_request_bytes);
  if (netcode::write_connection_request(p, out) != out.size()) std::abort();
  std::vector<std::uint8_t> bytes(out.size());
  std::memcpy(bytes.data(), out.data(), out.size());
  return bytes;
}

struct Player {
  explicit Player(std::uint64_t id) : id(id), client(Udp(*Address::parse("127.0.0.1:0"))) {}
  std::uint64_t id;
  C client;
  TimePoint connected_at{};
  bool connected = false;
  std::uint32_t disconnects = 0, echoes = 0;
  std::vector<TimePoint> sent_at;
  std::vector<double> rtt_ms;

  void drain(TimePoint now) {
    while (auto e = client.poll_event())
      match(*e, [&](C::Connected&) { connected = true, connected_at = now; },
            [&](C::Message<Input>& m) {
              if (m.message.seq >= sent_at.size()) return;
              ++echoes;
              rtt_ms.push_back(1e3 * to_seconds(now - sent_at[m.message.seq]));
            },
            [&](C::Disconnected&) { ++disconnects; }, [](auto&) {});
  }
};

/// One repetition of one flood kind.
Sample run_once(Kind kind, double play_seconds) {
  SteadyClock clock;
  ServerConfig config;
  config.netcode.private_key = Key::random();
  S server(Udp(*Address::parse("127.0.0.1:0")), config);
  std::vector<std::unique_ptr<Player>> players;
  std::vector<ConnectToken> tokens;
  for (std::uint64_t id = 1; id <= 2; ++id) {
    players.push_back(std::make_unique<Player>(id));
    tokens.push_back(server.issue_insecure_token(id, clock.unix_now()).value());
  }
  Flooder flooder(kind, server.bind_address().port(), request_for(server.issue_insecure_token(99, clock.unix_now()).value()));
  pin_to(0);
  ServerThread st(server);
  st.start();
  std::atomic<bool> stop_flood{false};
  const std::uint64_t drops_before = kernel_rcvbuf_errors();
  std::thread flood_thread([&] {
    pin_to(1);
    flooder.run(stop_flood);
  });
  st.set_flooding(true);
  const auto flood_start = clock.now();
  std::this_thread::sleep_for(500ms);  // the flood is at full rate before anyone connects

  Sample s;
  s.kind = kind;
  const auto tick = [&](Duration max_wait) {
    const auto now = clock.now();
    for (auto& p : players) {
      p->client.update(clock);
      p->drain(now);
    }
    wait_for_input(max_wait, players[0]->client.transport(), players[1]->client.transport());
  };
  const auto connect_start = clock.now();
  for (std::size_t i = 0; i < players.size(); ++i) (void)players[i]->client.connect(tokens[i]);
  while (!(players[0]->connected && players[1]->connected) && clock.now() < connect_start + 10s) tick(1ms);
  for (auto& p : players)
    s.connect_ms = std::max(s.connect_ms, p->connected ? 1e3 * to_seconds(p->connected_at - connect_start) : 1e4);

  std::uint32_t notes_sent = 0;
  auto next = clock.now();
  const auto play_end = clock.now() + from_seconds(play_seconds);
  for (std::uint32_t seq = 0; clock.now() < play_end; ++seq) {
    for (auto& p : players) {
      p->sent_at.push_back(clock.now());
      (void)p->client.send(Input{seq, {}});
      if (seq % 6 == 0) (void)p->client.send(Note{seq});
    }
    if (seq % 6 == 0) notes_sent += 2;
    next += 16667us;
    while (clock.now() < next) tick(std::min<Duration>(1ms, next - clock.now()));
  }
  for (const auto end = clock.now() + 500ms; clock.now() < end;) tick(1ms);  // the last echoes
  stop_flood = true;
  flood_thread.join();
  st.set_flooding(false);
  const double flood_seconds = to_seconds(clock.now() - flood_start);
  s.kernel_drops = kernel_rcvbuf_errors() - drops_before;
  for (const auto end = clock.now() + 3s; clock.now() < end && st.notes.load() < notes_sent;) tick(1ms);
  std::this_thread::sleep_for(20ms);
  st.finish();

  std::uint64_t pings = 0, echoes = 0;
  std::vector<double> rtts;
  for (auto& p : players) {
    pings += p->sent_at.size();
    echoes += p->echoes;
    s.timeouts += p->disconnects + (p->client.connected() ? 0 : 1);
    rtts.insert(rtts.end(), p->rtt_ms.begin(), p->rtt_ms.end());
  }
  std::sort(rtts.begin(), rtts.end());
  s.loss_percent = pings == 0 ? 100 : 100.0 * static_cast<double>(pings - echoes) / static_cast<double>(pings);
  s.rtt_median_ms = percentile(rtts, 0.5);
  s.rtt_p99_ms = percentile(rtts, 0.99);
  s.notes_missing = notes_sent - std::min(notes_sent, st.notes.load());
  s.sent_per_second = static_cast<double>(flooder.sent()) / flood_seconds;
  s.read_per_second = static_cast<double>(st.flood_datagrams_read) / st.flood_wall_seconds;
  s.server_cpu_percent = 100 * st.flood_cpu_seconds / st.flood_wall_seconds;
  s.ns_per_flood_datagram =
      st.flood_datagrams_read == 0 ? 0 : 1e9 * st.flood_cpu_seconds / static_cast<double>(st.flood_datagrams_read);
  return s;
}

}  // namespace
}  // namespace flood

int main(int argc, char** argv) {
  int reps = 5;
  double seconds = 10;
  std::string json, md;
  std::vector<flood::Kind> kinds{flood::Kind::none, flood::Kind::garbage16, flood::Kind::replay, flood::Kind::protocol};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--reps" && has_value) reps = std::atoi(argv[++i]);
    else if (a == "--seconds" && has_value) seconds = std::atof(argv[++i]);
    else if (a == "--json" && has_value) json = argv[++i];
    else if (a == "--md" && has_value) md = argv[++i];
    else if (a == "--smoke") reps = 1, seconds = 1;
    else if (a == "--kinds" && has_value) kinds = flood::parse_kinds(argv[++i]);
    else {
      std::fprintf(stderr, "usage: courier_flood [--reps N] [--seconds S] [--kinds none,garbage16,replay,protocol] [--json FILE] "
                           "[--md FILE] [--smoke]\n");
      return 2;
    }
  }
  std::vector<flood::Sample> samples;
  for (int r = 0; r < reps; ++r)
    for (flood::Kind k : kinds) {
      samples.push_back(flood::run_once(k, seconds));
      flood::print_sample(r + 1, samples.back());
    }
  const flood::Report report(samples);
  std::fputs(report.markdown().c_str(), stdout);
  if (!md.empty()) std::ofstream(md) << report.markdown();
  if (!json.empty()) std::ofstream(json) << report.json();
  return 0;  // a missed target is reported (the "targets" lines), not a failure of the run
}
