// lossy_demo: two in-process endpoints talk over a simulated bad link, and the program prints
// what the link was configured to do next to what it measurably did.
//
//   lossy_demo [seed]
//
// Both endpoints are Simulated<Loopback>, driven by a ManualClock in 1 ms ticks, so 20 seconds
// of traffic take a fraction of a second and the same seed prints the same table every time.

#include <courier/core/manual_clock.hpp>
#include <courier/transport/loopback.hpp>
#include <courier/transport/simulated.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t datagrams_per_side = 20'000;  // one per 1 ms tick: 20 s of traffic
constexpr std::size_t datagram_bytes = 200;

using Link = courier::Simulated<courier::Loopback>;

/// The impairment under test: a bad mobile link.
courier::SimulatedConfig bad_link() {
  courier::SimulatedConfig c;
  c.latency = 100ms;
  c.jitter = 20ms;
  c.loss = 0.05;          // independent loss ...
  c.burst_enter = 0.0105; // ... plus bursts: bad 5 % of the time, ~5 datagrams per burst
  c.burst_exit = 0.2;
  c.burst_loss = 1.0;
  c.duplicate = 0.02;
  c.reorder = 0.05;
  c.reorder_delay = 30ms;
  c.bandwidth_bytes_per_second = 256'000;
  return c;
}

/// What one side saw arrive.
struct Measured {
  std::uint64_t arrivals = 0, duplicates = 0, reordered = 0, highest = 0;
  courier::Duration delay_sum{0}, delay_min = courier::Duration::max(), delay_max{0};
  std::vector<bool> seen = std::vector<bool>(datagrams_per_side, false);
  std::vector<courier::TimePoint> arrival_times;
};

void send_one(Link& link, courier::Address to, std::uint64_t seq, courier::TimePoint now) {
  std::array<std::byte, datagram_bytes> bytes{};
  const std::int64_t sent_at = now.time_since_epoch().count();
  std::memcpy(bytes.data(), &seq, sizeof seq);
  std::memcpy(bytes.data() + 8, &sent_at, sizeof sent_at);
  if (link.send(to, bytes)) std::fprintf(stderr, "send refused\n");
}

void drain(Link& link, Measured& m, courier::TimePoint now) {
  std::array<courier::Datagram, 64> slots;
  while (const std::size_t n = link.receive(slots)) {
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t seq = 0;
      std::int64_t sent_at = 0;
      std::memcpy(&seq, slots[i].data.data(), sizeof seq);
      std::memcpy(&sent_at, slots[i].data.data() + 8, sizeof sent_at);
      const auto delay = now.time_since_epoch() - courier::Duration(sent_at);
      ++m.arrivals;
      m.delay_sum += delay;
      m.delay_min = std::min(m.delay_min, delay);
      m.delay_max = std::max(m.delay_max, delay);
      if (m.seen[seq]) ++m.duplicates;
      if (seq < m.highest) ++m.reordered;
      m.seen[seq] = true;
      m.highest = std::max(m.highest, seq);
      m.arrival_times.push_back(now);
    }
  }
}

/// Ticks until both sides have sent everything and nothing is still in flight.
void run(Link& a, Link& b, Measured& at_a, Measured& at_b) {
  courier::ManualClock clock;
  for (std::uint64_t seq = 0; seq < datagrams_per_side || a.queued() + b.queued() > 0; ++seq) {
    a.update(clock.now());  // update before sending: send uses the latest update's time
    b.update(clock.now());
    if (seq < datagrams_per_side) {
      send_one(a, b.local_address(), seq, clock.now());
      send_one(b, a.local_address(), seq, clock.now());
    }
    a.flush();
    b.flush();
    drain(a, at_a, clock.now());
    drain(b, at_b, clock.now());
    clock.advance(1ms);
  }
}

std::uint64_t longest_loss_run(const Measured& m) {
  std::uint64_t longest = 0, current = 0;
  for (const bool arrived : m.seen) {
    current = arrived ? 0 : current + 1;
    longest = std::max(longest, current);
  }
  return longest;
}

/// Most bytes that arrived within any one second.
std::uint64_t peak_bytes_per_second(std::vector<courier::TimePoint> times) {
  std::sort(times.begin(), times.end());
  std::size_t best = 0;
  for (std::size_t i = 0, j = 0; i < times.size(); ++i) {
    while (times[i] - times[j] >= 1s) ++j;
    best = std::max(best, i - j + 1);
  }
  return best * datagram_bytes;
}

double ms(courier::Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
double percent(double part, double whole) { return whole == 0 ? 0.0 : 100.0 * part / whole; }

/// A number with up to one decimal, without trailing ".0".
std::string fmt(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  std::string s = text;
  if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
  return s;
}

struct Totals {
  double sent, arrivals, duplicates, distinct, reordered_at_receiver;
};

Totals totals(const Link& a, const Link& b, const Measured& m1, const Measured& m2) {
  Totals t{};
  t.sent = static_cast<double>(a.stats().sent + b.stats().sent);
  t.arrivals = static_cast<double>(m1.arrivals + m2.arrivals);
  t.duplicates = static_cast<double>(m1.duplicates + m2.duplicates);
  t.distinct = t.arrivals - t.duplicates;
  t.reordered_at_receiver = static_cast<double>(m1.reordered + m2.reordered);
  return t;
}

/// Mean length of the runs of consecutive datagrams that never arrived.
double mean_loss_run(const Measured& m) {
  double lost = 0, runs = 0;
  for (std::size_t i = 0; i < m.seen.size(); ++i) {
    if (m.seen[i]) continue;
    ++lost;
    if (i == 0 || m.seen[i - 1]) ++runs;
  }
  return runs == 0 ? 0.0 : lost / runs;
}

void print_loss_rows(const courier::SimulatedConfig& c, const Link& a, const Link& b,
                     const Measured& m1, const Measured& m2) {
  const Totals t = totals(a, b, m1, m2);
  const auto& s1 = a.stats();
  const auto& s2 = b.stats();
  const double p_bad = c.burst_enter / (c.burst_enter + c.burst_exit);
  const double loss = p_bad * c.burst_loss + (1 - p_bad * c.burst_loss) * c.loss;
  std::printf("%-13s %-30s %.1f %%\n", "loss", (fmt(100 * loss) + " %").c_str(),
              100.0 - percent(t.distinct, t.sent));
  std::printf("%-13s %-30s %.1f %% / %.1f %%\n", "  indep/burst",
              (fmt(100 * (1 - p_bad * c.burst_loss) * c.loss) + " % / " + fmt(100 * p_bad * c.burst_loss) +
               " %").c_str(),
              percent(static_cast<double>(s1.lost_independent + s2.lost_independent), t.sent),
              percent(static_cast<double>(s1.lost_burst + s2.lost_burst), t.sent));
  std::printf("%-13s %-30s mean %.2f, longest %llu\n", "loss runs",
              ("bursts of " + fmt(1 / c.burst_exit) + " (mean)").c_str(),
              (mean_loss_run(m1) + mean_loss_run(m2)) / 2,
              static_cast<unsigned long long>(std::max(longest_loss_run(m1), longest_loss_run(m2))));
}

void print_timing_rows(const courier::SimulatedConfig& c, const Link& a, const Link& b,
                       const Measured& m1, const Measured& m2) {
  const Totals t = totals(a, b, m1, m2);
  const auto& s1 = a.stats();
  const auto& s2 = b.stats();
  // Expected mean: latency, the reorder hold-back, serialization at the cap, half a 1 ms tick.
  const double mean = ms(c.latency) + c.reorder * ms(c.reorder_delay) +
                      1000.0 * datagram_bytes / static_cast<double>(c.bandwidth_bytes_per_second) + 0.5;
  std::printf("%-13s %-30s %.1f %%\n", "duplication", (fmt(100 * c.duplicate) + " %").c_str(),
              percent(t.duplicates, t.distinct));
  std::printf("%-13s %-30s %.1f %% held back; %.1f %% arrived after a later one\n", "reordering",
              (fmt(100 * c.reorder) + " % held " + fmt(ms(c.reorder_delay)) + " ms").c_str(),
              percent(static_cast<double>(s1.reordered + s2.reordered),
                      static_cast<double>(s1.delivered + s2.delivered)),
              percent(t.reordered_at_receiver, t.arrivals));
  std::printf("%-13s %-30s mean %.1f, min %.0f, max %.0f ms\n", "latency",
              (fmt(ms(c.latency)) + " +- " + fmt(ms(c.jitter)) + " ms (mean " + fmt(mean) + ")").c_str(),
              ms(m1.delay_sum + m2.delay_sum) / t.arrivals, ms(std::min(m1.delay_min, m2.delay_min)),
              ms(std::max(m1.delay_max, m2.delay_max)));
  std::printf("%-13s %-30s peak %llu B/s over 1 s, %llu dropped\n", "bandwidth",
              ("cap " + std::to_string(c.bandwidth_bytes_per_second) + " B/s").c_str(),
              static_cast<unsigned long long>(std::max(peak_bytes_per_second(m1.arrival_times),
                                                       peak_bytes_per_second(m2.arrival_times))),
              static_cast<unsigned long long>(s1.dropped_bandwidth + s2.dropped_bandwidth));
  std::printf("%-13s %-30s %.0f of %.0f (+ %.0f duplicates)\n", "delivered", "", t.distinct, t.sent,
              t.duplicates);
  std::printf("\nJitter of +-%.0f ms with one datagram per ms also swaps neighbours, hence the\n"
              "out-of-order share far above the reorder probability.\n", ms(c.jitter));
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t seed = 42;
  if (argc == 2) {
    char* end = nullptr;
    seed = std::strtoull(argv[1], &end, 0);
    if (argv[1][0] == '-' || end == argv[1] || *end != '\0') argc = 0;  // not a number
  }
  if (argc != 1 && argc != 2) {
    std::fprintf(stderr, "usage: %s [seed]\n", argv[0]);
    return 2;
  }
  courier::LoopbackNetwork network;
  const auto config = bad_link();
  Link a(courier::Loopback(network, courier::Address::ipv4(127, 0, 0, 1, 0)), config, seed);
  Link b(courier::Loopback(network, courier::Address::ipv4(127, 0, 0, 1, 0)), config, seed + 1);
  Measured at_a, at_b;
  run(a, b, at_a, at_b);
  std::printf("courier lossy_demo: seed %llu, %llu datagrams of %zu bytes each way, one per 1 ms tick\n\n",
              static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(datagrams_per_side), datagram_bytes);
  std::printf("%-13s %-30s %s\n", "", "configured", "measured");
  print_loss_rows(config, a, b, at_a, at_b);
  print_timing_rows(config, a, b, at_a, at_b);
  return 0;
}
