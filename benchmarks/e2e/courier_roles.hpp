#pragma once
// courier's side of the end-to-end benchmark: typed Client<Pack> / Server<Pack> on 127.0.0.1
// with real encryption (Netcode102, or Aes256Gcm), default settings except where a workload
// says otherwise (queue capacity for "100 000 queued", max_clients). The transport is the
// pack's: Udp (courier_side.cpp) or WebSocket (courier_ws_side.cpp); Link<T> says how the
// benchmark opens one and waits for its input.

#include "common.hpp"

#include <courier/courier.hpp>

#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

namespace bench {

/// How the benchmark opens transport T on 127.0.0.1 and waits for its input between reads:
/// `static T open()` and `static void wait(T&)`. Defined next to each transport's roles.
template <class T>
struct Link;

namespace roles {

using namespace courier;

struct Small {  // 100 bytes on the wire (ByteAligned)
  std::uint32_t seq;
  std::array<std::uint8_t, 96> pad;
};
struct Big {  // 1024 bytes: the largest unreliable message (one block fragment)
  std::uint32_t seq;
  std::array<std::uint8_t, 1020> pad;
};
struct Ask {
  std::uint32_t seq;
  std::array<std::uint8_t, 96> pad;
};
struct Answer {
  std::uint32_t seq;
  std::array<std::uint8_t, 96> pad;
};

using NcPack = ChannelPack<Version<"courier-bench 1">, Channel<"ordered", ReliableOrdered, Small>,
                           Channel<"bulk", Unreliable, Big>, Request<Ask, Answer>, UseSchema<ByteAligned>>;
using AesPack = WithCrypto<NcPack, Aes256Gcm>;
/// A small pack (one reliable-ordered channel of 100-byte messages and a request), for the
/// memory figure: NcPack's 1024-byte unreliable channel preallocates 256 x 1 KiB each way.
using SmallPack = ChannelPack<Version<"courier-bench small 1">, Channel<"ordered", ReliableOrdered, Small>,
                              Request<Ask, Answer>, UseSchema<ByteAligned>>;

inline Key parse_key(const std::string& hex) { return Key::from_hex(hex).value(); }

/// COURIER_E2E_RATE=on turns the send-rate controller on in courier's servers and clients, to
/// measure what it costs on these unthrottled rows (docs/PERFORMANCE.md, "Congestion control").
inline bool rate_controller_on() {
  const char* v = std::getenv("COURIER_E2E_RATE");
  return v != nullptr && std::strcmp(v, "on") == 0;
}

template <class P>
int server(const std::string& workload, const Args& a) {
  const long rss_start = rss_kib();
  SteadyClock clock;
  using L = Link<typename P::transport>;
  typename P::transport socket = L::open();
  ServerConfig config;
  config.netcode.private_key = parse_key(a.str("key"));
  config.netcode.public_address = socket.local_address();
  const long clients = a.num("clients", 1);
  config.netcode.max_clients = static_cast<std::size_t>(clients);
  config.queue_capacity = static_cast<std::size_t>(a.num("queue", 256));
  config.rate.enabled = rate_controller_on();
  Server<P> server(std::move(socket), config);
  const long rss_constructed = rss_kib();
  announce_port(server.public_address().port());

  const long count = a.num("count", 100000);
  const double window = static_cast<double>(a.num("ms", 1000)) / 1000.0;
  long received = 0, connected = 0;
  std::uint32_t expected = 0;
  bool in_order = true;
  Clock::time_point first{}, last{};
  std::uint64_t alloc_mark = 0;
  const auto started = Clock::now();
  for (;;) {
    L::wait(server.transport());
    server.update(clock);
    while (auto e = server.poll_event()) {
      std::visit(overloaded{[&](server_event::Message<Small>& m) {
                              if (m.message.seq != expected) in_order = false;
                              expected = m.message.seq + 1;
                              if (received == 0) first = Clock::now();
                              if (received == count / 5) {
                                alloc_mark = allocations;
                                if (const char* t = std::getenv("COURIER_E2E_TRACE_ALLOCS")) trace_allocations = std::atoi(t);
                              }
                              if (++received == count) last = Clock::now();
                            },
                            [&](server_event::Message<Big>&) {
                              if (received == 0) first = Clock::now();
                              ++received;
                            },
                            [&](server_event::Request<P, Ask>& r) {
                              Answer answer{r.request.seq, r.request.pad};
                              server.respond(std::move(r.token), answer);
                              server.flush();
                            },
                            [&](server_event::Connected<std::monostate>&) { ++connected; }, [](auto&) {}},
                 *e);
    }
    if (workload == "ordered" && received >= count) {
      const double s = std::chrono::duration<double>(last - first).count();
      // Read before building the Result: its own string growth would be counted otherwise.
      const std::uint64_t receive_allocations = allocations - alloc_mark;
      Result()
          .add("msgs_per_s", static_cast<double>(count - 1) / s)
          .add("in_order", in_order ? 1 : 0)
          .add("recv_allocs_per_msg", static_cast<double>(receive_allocations) / static_cast<double>(count - count / 5))
          .print();
      return 0;
    }
    if (workload == "unreliable" && received > 0 && seconds_since(first) >= window) {
      const double s = seconds_since(first);
      Result().add("msgs_per_s", static_cast<double>(received) / s).print();
      return 0;
    }
    // idle: measure once every client is connected, or after 20 s with those that are (the
    // count is reported).
    if (workload == "idle" && (connected >= clients || (connected > 0 && seconds_since(started) > 20))) {
      // Every client is connected: let keep-alives run a moment, then measure.
      const auto t = Clock::now();
      while (seconds_since(t) < 1.0) {
        server.update(clock);
        while (server.poll_event()) {
        }
        server.wait(std::chrono::milliseconds(2));
      }
      const long rss = rss_kib();
      Result()
          .add("rss_start_kib", static_cast<double>(rss_start))
          .add("rss_constructed_kib", static_cast<double>(rss_constructed))
          .add("rss_connected_kib", static_cast<double>(rss))
          .add("kib_per_client", static_cast<double>(rss - rss_start) / static_cast<double>(server.num_connected()))
          .add("connected", static_cast<double>(server.num_connected()))
          .print();
      return 0;
    }
    if (workload == "idle") server.wait(std::chrono::milliseconds(1));
  }
}

/// A client of pack P and the token it connects with.
template <class P>
std::unique_ptr<Client<P>> make_client(const Args& a, std::uint64_t id, std::optional<ConnectToken>& token,
                                       ClientConfig config = {}) {
  char server[32];
  std::snprintf(server, sizeof server, "127.0.0.1:%ld", a.num("port"));
  TokenOptions options;
  options.expire_seconds = 600;
  options.timeout_seconds = 30;
  token = make_connect_token<P>(parse_key(a.str("key")), id, {*Address::parse(server)}, SteadyClock{}.unix_now(), options).value();
  config.rate.enabled = config.rate.enabled || rate_controller_on();
  return std::make_unique<Client<P>>(Link<typename P::transport>::open(), config);
}

template <class P>
bool wait_connected(Client<P>& c, SteadyClock& clock) {
  const auto t = Clock::now();
  while (seconds_since(t) < 10) {
    c.update(clock);
    while (auto e = c.poll_event())
      if (std::holds_alternative<client_event::Connected>(*e)) return true;
  }
  return false;
}

template <class P>
int client(const std::string& workload, const Args& a) {
  SteadyClock clock;
  const long count = a.num("count", 100000);
  if (workload == "connect" || workload == "idle") {
    const long n = a.num("clients", 1);
    const long first_id = a.num("first_id", 1);
    std::vector<std::unique_ptr<Client<P>>> clients;
    std::vector<std::optional<ConnectToken>> tokens(static_cast<std::size_t>(n));
    for (long i = 0; i < n; ++i) clients.push_back(make_client<P>(a, static_cast<std::uint64_t>(first_id + i), tokens[static_cast<std::size_t>(i)]));
    const auto start = Clock::now();
    for (long i = 0; i < n; ++i) clients[static_cast<std::size_t>(i)]->connect(*tokens[static_cast<std::size_t>(i)]);
    long connected = 0, failed = 0, sweeps = 0;
    double first_connected = 0;
    while (connected + failed < n && seconds_since(start) < 30) {
      ++sweeps;
      if (connected > 0 && first_connected == 0) first_connected = seconds_since(start);
      for (auto& c : clients) {
        c->update(clock);
        while (auto e = c->poll_event()) {
          if (std::holds_alternative<client_event::Connected>(*e)) ++connected;
          if (auto* d = std::get_if<client_event::Disconnected>(&*e); d != nullptr && !d->reconnecting) ++failed;
        }
      }
    }
    const double s = seconds_since(start);
    if (workload == "connect") {
      Result()
          .add("seconds", s)
          .add("handshakes_per_s", static_cast<double>(connected) / s)
          .add("connected", static_cast<double>(connected))
          .add("failed", static_cast<double>(n - connected))
          .add("sweeps", static_cast<double>(sweeps))
          .add("first_connected_s", first_connected)
          .print();
      return 0;
    }
    std::printf("CONNECTED %ld\n", connected);
    std::fflush(stdout);
    for (;;) {  // idle: keep-alives only, until the driver ends this process
      for (auto& c : clients) c->update(clock);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  ClientConfig config;
  config.queue_capacity = static_cast<std::size_t>(a.num("queue", 256));
  std::optional<ConnectToken> token;
  auto c = make_client<P>(a, 1, token, config);
  c->connect(*token);
  if (!wait_connected(*c, clock)) return 2;

  if (workload == "ordered") {
    Small m{0, {}};
    std::uint64_t mark = 0;
    for (long sent = 0; sent < count;) {
      if (sent == count / 5) mark = allocations;
      if (c->send(m).error) {  // the window is full: wait for acks
        c->flush();
        Link<typename P::transport>::wait(c->transport());
        c->update(clock);
        continue;
      }
      ++m.seq;
      ++sent;
    }
    const std::uint64_t send_allocations = allocations - mark;  // before the Result allocates
    const ConnectionStats st = c->stats().connection;
    Result()
        .add("send_allocs_per_msg", static_cast<double>(send_allocations) / static_cast<double>(count - count / 5))
        .add("send_packets", static_cast<double>(st.endpoint.packets_sent))
        .add("send_packets_lost", static_cast<double>(st.endpoint.packets_lost))
        .add("send_packets_acked", static_cast<double>(st.endpoint.packets_acked))
        .add("send_refused", static_cast<double>(st.messages_refused))
        .add("send_rtt_ms", std::chrono::duration<double, std::milli>(st.endpoint.rtt).count())
        .print();
    for (;;) {
      c->update(clock);
      while (c->poll_event()) {
      }
    }
  }
  if constexpr (!std::is_same_v<P, SmallPack>) if (workload == "unreliable") {
    Big m{0, {}};
    for (;;) {
      while (!c->send(m).error) ++m.seq;
      c->update(clock);
      while (c->poll_event()) {
      }
    }
  }
  if (workload == "rtt") {
    std::vector<double> rtt;
    rtt.reserve(static_cast<std::size_t>(count));
    Ask ask{0, {}};
    const long warm = count / 10;
    std::uint64_t mark = 0;
    for (long i = 0; i < count + warm; ++i) {
      if (i == warm) mark = allocations;
      ask.seq = static_cast<std::uint32_t>(i);
      const auto t = Clock::now();
      if (c->request(ask).error) return 3;
      c->flush();
      bool done = false;
      while (!done) {
        Link<typename P::transport>::wait(c->transport());
        c->update(clock);
        while (auto e = c->poll_event())
          if (std::holds_alternative<client_event::Response<Answer>>(*e)) done = true;
      }
      if (i >= warm) rtt.push_back(seconds_since(t) * 1e6);
    }
    const std::uint64_t rtt_allocations = allocations - mark;  // before the Result allocates
    std::sort(rtt.begin(), rtt.end());
    Result()
        .add("median_us", percentile(rtt, 0.5))
        .add("p99_us", percentile(rtt, 0.99))
        .add("client_allocs_per_rtt", static_cast<double>(rtt_allocations) / static_cast<double>(count))
        .print();
    return 0;
  }
  return 1;
}

}  // namespace roles
}  // namespace bench
