// courier's roles in the kernel bottleneck workload (bottleneck.hpp): typed Client / Server
// over Udp with Netcode102, the send-rate controller ON on both sides (ClientConfig::rate,
// ServerConfig::rate; otherwise its defaults: no maximum rate, so the controller has to find
// the tbf rate itself). The real-time channel has a higher priority than the bulk one, as a
// game would declare it; no MaxSendDelay (a late real-time message shows as latency here, not
// as a drop).

#include "bottleneck.hpp"

#include <courier/courier.hpp>

#include <array>
#include <memory>

namespace bench::bottleneck {
namespace {

using namespace courier;

struct Chunk {  // 1000 bytes (ByteAligned)
  std::uint32_t seq;
  std::array<std::uint8_t, bulk_bytes - 4> pad;
};
struct Tick {  // 100 bytes: a sequence number and the send time
  std::uint32_t seq;
  std::uint64_t stamp_ns;
  std::array<std::uint8_t, rt_bytes - 12> pad;
};

using Pack = ChannelPack<Version<"courier-bottleneck 1">, Channel<"rt", Unreliable, Tick, Priority<1>, ClientToServer>,
                         Channel<"bulk", ReliableOrdered, Chunk, ClientToServer>, UseSchema<ByteAligned>>;

Address at(const Args& a, long port) { return *Address::parse(a.str("host", "127.0.0.1") + ":" + std::to_string(port)); }

RateConfig rate_on() {
  RateConfig r;
  r.enabled = true;
  return r;
}

int server(const Args& a) {
  SteadyClock clock;
  Udp socket(at(a, 0));
  ServerConfig config;
  config.netcode.private_key = Key::from_hex(a.str("key")).value();
  config.netcode.public_address = socket.local_address();
  config.netcode.max_clients = 1;
  config.rate = rate_on();
  Server<Pack> server(std::move(socket), config);
  const int fd = server.transport().native_handle();
  announce_port(server.public_address().port());
  Tally tally(a);
  while (!tally.done(now_ns())) {
    wait_readable(fd, 1);
    server.update(clock);
    while (auto e = server.poll_event()) {
      if (std::holds_alternative<server_event::Message<Chunk>>(*e)) tally.bulk(bulk_bytes, now_ns());
      if (auto* m = std::get_if<server_event::Message<Tick>>(&*e)) tally.rt(m->message.seq, m->message.stamp_ns, now_ns());
    }
  }
  tally.report();
  return 0;
}

/// The sender's controller, sampled every 100 ms after start-up and printed every second (the
/// driver ends the client with SIGKILL; the last line printed is the one it keeps).
class RateWatch {
 public:
  void sample(const ConnectionStats& st, std::uint64_t now) {
    if (begin_ == 0) begin_ = now + 3'000'000'000ull;
    if (now < begin_ || now < next_) return;
    next_ = now + 100'000'000ull;
    ++n_;
    bw_ += st.rate.bandwidth_bytes_per_second * 8;
    pacing_ += st.rate.pacing_bytes_per_second * 8;
    inflight_ += static_cast<double>(st.rate.bytes_in_flight);
    cwnd_ += static_cast<double>(st.rate.congestion_window_bytes);
    if (n_ % 10 == 0) print(st);
  }

 private:
  void print(const ConnectionStats& st) const {
    const double n = static_cast<double>(n_);
    Result()
        .add("snd_bw_est_bits", bw_ / n)
        .add("snd_pacing_bits", pacing_ / n)
        .add("snd_inflight_bytes", inflight_ / n)
        .add("snd_cwnd_bytes", cwnd_ / n)
        .add("snd_min_rtt_ms", std::chrono::duration<double, std::milli>(st.rate.min_rtt).count())
        .add("snd_rtt_ms", std::chrono::duration<double, std::milli>(st.endpoint.rtt).count())
        .add("snd_congestive_losses", static_cast<double>(st.rate.congestive_losses))
        .add("snd_link_losses", static_cast<double>(st.rate.link_losses))
        .add("snd_paced_waits", static_cast<double>(st.rate.paced_waits))
        .add("snd_packets", static_cast<double>(st.endpoint.packets_sent))
        .add("snd_packets_lost", static_cast<double>(st.endpoint.packets_lost))
        .add("snd_phase", static_cast<double>(st.rate.phase))
        .print();
  }
  std::uint64_t begin_ = 0, next_ = 0, n_ = 0;
  double bw_ = 0, pacing_ = 0, inflight_ = 0, cwnd_ = 0;
};

bool connect(Client<Pack>& c, const Args& a, SteadyClock& clock) {
  TokenOptions options;
  options.expire_seconds = 600;
  options.timeout_seconds = 30;
  const Address server = at(a, a.num("port"));
  const auto token = make_connect_token<Pack>(Key::from_hex(a.str("key")).value(), 1, {server}, clock.unix_now(), options);
  if (!token) return false;
  c.connect(*token);
  const auto t = Clock::now();
  while (seconds_since(t) < 10) {
    c.update(clock);
    c.wait(std::chrono::milliseconds(1));
    while (auto e = c.poll_event())
      if (std::holds_alternative<client_event::Connected>(*e)) return true;
  }
  return false;
}

// g++ 12 -O3 reports a false "may be used uninitialized" on the vector inside the client event
// variant when the drain below moves events out of the queue (the g++ 12 false positive with
// std::optional<std::variant<...>> that tests/adversarial/udp_flood.cpp notes; clang is quiet).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
void drain(Client<Pack>& c) {
  while (c.poll_event()) {
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

int client(const Args& a) {
  SteadyClock clock;
  ClientConfig config;
  config.rate = rate_on();
  Client<Pack> c(Udp(*Address::parse("0.0.0.0:0")), config);
  if (!connect(c, a, clock)) return 2;
  const int fd = c.transport().native_handle();
  RtSchedule schedule;
  RateWatch watch;
  Chunk chunk{};
  Tick tick{};
  for (;;) {
    if (schedule.due(now_ns())) {
      tick.seq = schedule.seq++;
      tick.stamp_ns = now_ns();
      (void)c.send(tick);  // refused only when 256 are queued: then it is lost, and counted so
    }
    while (!c.send(chunk).error) ++chunk.seq;  // bulk: as much as the queue takes
    c.update(clock);
    drain(c);
    watch.sample(c.stats().connection, now_ns());
    wait_readable_us(fd, 200);
  }
}

}  // namespace

int courier_role(const std::string& role, const Args& a) { return role == "server" ? server(a) : client(a); }

}  // namespace bench::bottleneck
