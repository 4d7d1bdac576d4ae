#include <courier/core/manual_clock.hpp>
#include <courier/transport/loopback.hpp>
#include <courier/transport/simulated.hpp>
#include <courier/transport/transport.hpp>
#include <courier/transport/udp.hpp>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <set>
#include <system_error>
#include <vector>

namespace bdata = boost::unit_test::data;
using namespace std::chrono_literals;
using courier::Address;
using courier::Datagram;
using courier::Duration;
using courier::Loopback;
using courier::LoopbackNetwork;
using courier::SimulatedConfig;
using courier::TimePoint;
using Sim = courier::Simulated<Loopback>;

static_assert(courier::Transport<Sim>);
static_assert(courier::Transport<courier::Simulated<courier::Udp>>);
static_assert(courier::Transport<courier::Simulated<Sim>>);

namespace {

const Address sender_address = Address::ipv4(127, 0, 0, 1, 50000);
const Address receiver_address = Address::ipv4(127, 0, 0, 1, 50001);

/// One datagram as the receiver saw it.
struct Arrival {
  std::uint64_t seq;
  Duration delay;  ///< arrival tick - send time (rounded up to the tick)
  std::size_t size;
  friend bool operator==(const Arrival&, const Arrival&) = default;
};

/// What happened to a run of datagrams through Simulated<Loopback> into a plain Loopback.
struct Run {
  std::vector<Arrival> arrivals;
  courier::SimulatedStats stats;
  std::uint64_t sent = 0;
};

/// Sends `count` datagrams of `size` bytes, `per_tick` of them every `interval`, ticking a
/// ManualClock by `tick`, then keeps ticking until the delay queue is empty. Each payload
/// carries its sequence number and send time.
Run run(const SimulatedConfig& config, std::uint64_t seed, std::uint64_t count,
        Duration interval = 1ms, std::size_t size = 16, std::uint64_t per_tick = 1,
        Duration tick = 1ms) {
  LoopbackNetwork network;
  Sim sender(Loopback(network, sender_address), config, seed);
  Loopback receiver(network, receiver_address);
  courier::ManualClock clock;
  Run result;
  std::array<Datagram, 64> slots;
  std::vector<std::byte> bytes(std::max<std::size_t>(size, 16));
  TimePoint next_send = clock.now();
  while (result.sent < count || sender.queued() > 0) {
    sender.update(clock.now());
    for (std::uint64_t i = 0; i < per_tick && result.sent < count && clock.now() >= next_send; ++i) {
      const std::int64_t at = clock.now().time_since_epoch().count();
      std::memcpy(bytes.data(), &result.sent, 8);
      std::memcpy(bytes.data() + 8, &at, 8);
      BOOST_REQUIRE(!sender.send(receiver_address, bytes));
      ++result.sent;
    }
    if (clock.now() >= next_send) next_send += interval;
    sender.flush();
    while (const std::size_t n = receiver.receive(slots)) {
      for (std::size_t i = 0; i < n; ++i) {
        std::uint64_t seq;
        std::int64_t at;
        std::memcpy(&seq, slots[i].data.data(), 8);
        std::memcpy(&at, slots[i].data.data() + 8, 8);
        result.arrivals.push_back({seq, clock.now().time_since_epoch() - Duration(at), slots[i].size});
      }
    }
    clock.advance(tick);
  }
  result.stats = sender.stats();
  return result;
}

std::uint64_t distinct(const Run& r) {
  std::set<std::uint64_t> seen;
  for (const auto& a : r.arrivals) seen.insert(a.seq);
  return seen.size();
}

/// Mean length of the runs of consecutive sequence numbers that never arrived.
double mean_loss_run(const Run& r) {
  std::vector<bool> arrived(r.sent, false);
  for (const auto& a : r.arrivals) arrived[a.seq] = true;
  std::uint64_t runs = 0, lost = 0;
  for (std::uint64_t i = 0; i < r.sent; ++i) {
    if (arrived[i]) continue;
    ++lost;
    if (i == 0 || arrived[i - 1]) ++runs;
  }
  return runs == 0 ? 0.0 : static_cast<double>(lost) / static_cast<double>(runs);
}

double ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

SimulatedConfig everything() {
  SimulatedConfig c;
  c.latency = 100ms;
  c.jitter = 20ms;
  c.loss = 0.05;
  c.burst_enter = 0.01;
  c.burst_exit = 0.3;
  c.duplicate = 0.02;
  c.reorder = 0.05;
  c.bandwidth_bytes_per_second = 64'000;
  return c;
}

const auto seeds = bdata::make({1ull, 2ull, 0xdeadbeefull});

}  // namespace

BOOST_AUTO_TEST_SUITE(simulated_test)

BOOST_AUTO_TEST_CASE(zero_impairment_delivers_immediately) {
  LoopbackNetwork network;
  Sim sender(Loopback(network, sender_address), SimulatedConfig{}, 1);
  Loopback receiver(network, receiver_address);
  const std::array<std::byte, 3> bytes{std::byte{1}, std::byte{2}, std::byte{3}};
  BOOST_TEST(!sender.send(receiver_address, bytes));  // no update, no flush needed
  BOOST_TEST(sender.queued() == 0u);
  std::array<Datagram, 2> slots;
  BOOST_REQUIRE(receiver.receive(slots) == 1u);
  BOOST_TEST((slots[0].from == sender_address));
  BOOST_TEST(slots[0].size == 3u);
  BOOST_TEST(sender.stats().sent == 1u);
  BOOST_TEST(sender.stats().delivered == 1u);
  BOOST_TEST(sender.stats().mean_delay().count() == 0);
  BOOST_TEST((sender.local_address() == sender_address));
}

BOOST_AUTO_TEST_CASE(errors_are_reported_at_send) {
  LoopbackNetwork network;
  Sim sender(Loopback(network, sender_address), SimulatedConfig{}, 1);
  std::vector<std::byte> big(courier::max_datagram_bytes + 1);
  BOOST_TEST((sender.send(receiver_address, big) == courier::Error::message_too_large));
  BOOST_TEST((sender.send(Address{}, std::span<const std::byte>{}) == courier::Error::invalid_address));
  BOOST_TEST(sender.stats().sent == 0u);
}

BOOST_AUTO_TEST_CASE(latency_holds_datagrams_until_due_and_keeps_send_order) {
  SimulatedConfig config;
  config.latency = 10ms;
  LoopbackNetwork network;
  Sim sender(Loopback(network, sender_address), config, 1);
  Loopback receiver(network, receiver_address);
  courier::ManualClock clock;
  sender.update(clock.now());
  for (std::uint8_t i = 0; i < 100; ++i) {  // equal release times: FIFO tie-break
    const std::array<std::byte, 1> b{std::byte{i}};
    BOOST_TEST(!sender.send(receiver_address, b));
  }
  std::array<Datagram, 128> slots;
  clock.advance(9ms);
  sender.update(clock.now());
  BOOST_TEST(receiver.receive(slots) == 0u);
  BOOST_TEST(sender.queued() == 100u);
  clock.advance(1ms);
  sender.update(clock.now());
  BOOST_REQUIRE(receiver.receive(slots) == 100u);
  for (std::size_t i = 0; i < 100; ++i) BOOST_TEST(std::to_integer<std::size_t>(slots[i].data[0]) == i);
  BOOST_TEST(sender.stats().mean_delay() == Duration(10ms));
}

BOOST_DATA_TEST_CASE(same_seed_same_output_other_seed_other_output, seeds, seed) {
  BOOST_TEST_CONTEXT("seed " << seed) {
    const Run a = run(everything(), seed, 5000);
    const Run b = run(everything(), seed, 5000);
    const Run c = run(everything(), seed + 1, 5000);
    BOOST_TEST(a.arrivals.size() > 4000u);
    BOOST_TEST((a.arrivals == b.arrivals));
    BOOST_TEST(a.stats.lost_burst == b.stats.lost_burst);
    BOOST_TEST(a.stats.total_delay.count() == b.stats.total_delay.count());
    BOOST_TEST(!(a.arrivals == c.arrivals));
  }
}

BOOST_DATA_TEST_CASE(loss_duplication_and_latency_match_config, seeds, seed) {
  SimulatedConfig config;
  config.latency = 100ms;
  config.jitter = 20ms;
  config.loss = 0.1;
  config.duplicate = 0.05;
  BOOST_TEST_CONTEXT("seed " << seed) {
    const Run r = run(config, seed, 100'000);
    const double n = 100'000.0;
    const double loss = 1.0 - static_cast<double>(distinct(r)) / n;
    const double dups = static_cast<double>(r.arrivals.size() - distinct(r)) / (n * 0.9);
    // ~5 standard deviations: 0.0047 for the loss, 0.0035 for the duplication.
    BOOST_TEST_MESSAGE("loss " << loss << ", duplication " << dups << ", mean delay "
                               << ms(r.stats.mean_delay()) << " ms");
    BOOST_TEST(std::abs(loss - 0.1) < 0.005);
    BOOST_TEST(std::abs(dups - 0.05) < 0.004);
    BOOST_TEST(r.stats.lost_independent == static_cast<std::uint64_t>(std::llround(loss * n)));
    BOOST_TEST(r.stats.lost_burst == 0u);
    // Mean delay: exact in the stats, rounded up to the 1 ms tick at the receiver.
    BOOST_TEST(std::abs(ms(r.stats.mean_delay()) - 100.0) < 0.2);
    double sum = 0, lo = 1e9, hi = 0;
    for (const auto& a : r.arrivals) {
      sum += ms(a.delay);
      lo = std::min(lo, ms(a.delay));
      hi = std::max(hi, ms(a.delay));
    }
    BOOST_TEST(std::abs(sum / static_cast<double>(r.arrivals.size()) - 100.5) < 0.3);
    BOOST_TEST(lo >= 80.0);
    BOOST_TEST(lo <= 81.0);  // the receiver sees whole ticks: (80, 81] ms reads as 81
    BOOST_TEST(hi <= 120.0);
    BOOST_TEST(hi > 119.0);
  }
}

BOOST_DATA_TEST_CASE(duplicates_draw_their_own_delay, seeds, seed) {
  SimulatedConfig config;
  config.latency = 100ms;
  config.jitter = 20ms;
  config.duplicate = 0.2;
  BOOST_TEST_CONTEXT("seed " << seed) {
    const Run r = run(config, seed, 5000);
    std::vector<std::vector<Duration>> delays(r.sent);
    for (const auto& a : r.arrivals) delays[a.seq].push_back(a.delay);
    std::uint64_t pairs = 0, differ = 0;
    for (const auto& d : delays) {
      if (d.size() != 2) continue;
      ++pairs;
      differ += d[0] != d[1] ? 1 : 0;
    }
    BOOST_TEST(pairs == r.stats.duplicated);
    BOOST_TEST(differ > pairs * 9 / 10);  // equal only when both draws land in one 1 ms tick
  }
}

BOOST_DATA_TEST_CASE(bursts_make_longer_loss_runs_than_independent_loss, seeds, seed) {
  SimulatedConfig independent;
  independent.loss = 0.1;
  SimulatedConfig bursty;  // bad 0.02 / (0.02 + 0.18) = 10 % of the time, losing everything
  bursty.burst_enter = 0.02;
  bursty.burst_exit = 0.18;
  bursty.burst_loss = 1.0;
  BOOST_TEST_CONTEXT("seed " << seed) {
    const Run a = run(independent, seed, 100'000);
    const Run b = run(bursty, seed, 100'000);
    const double loss_a = 1.0 - static_cast<double>(distinct(a)) / 1e5;
    const double loss_b = 1.0 - static_cast<double>(distinct(b)) / 1e5;
    BOOST_TEST(std::abs(loss_a - 0.1) < 0.005);
    BOOST_TEST(std::abs(loss_b - 0.1) < 0.02);  // bursts vary more: fewer, longer events
    BOOST_TEST(b.stats.lost_burst == 100'000 - distinct(b));
    BOOST_TEST(b.stats.lost_independent == 0u);
    // Expected mean runs: 1 / (1 - 0.1) = 1.11 independent, 1 / 0.18 = 5.6 in bursts.
    BOOST_TEST_MESSAGE("loss " << loss_a << " / " << loss_b << ", mean loss run "
                               << mean_loss_run(a) << " / " << mean_loss_run(b));
    BOOST_TEST(mean_loss_run(a) < 1.3);
    BOOST_TEST(mean_loss_run(b) > 4.5);
  }
}

BOOST_DATA_TEST_CASE(reordered_datagrams_are_overtaken, seeds, seed) {
  SimulatedConfig config;
  config.latency = 50ms;
  config.reorder = 0.05;
  config.reorder_delay = 30ms;
  BOOST_TEST_CONTEXT("seed " << seed) {
    const Run r = run(config, seed, 100'000);
    // Held datagrams arrive 80 ms after sending instead of 50. Each one is overtaken by the
    // 30 sent after it, and nothing else arrives after a later datagram; only the last 30 sent
    // have no later datagram to overtake them.
    std::uint64_t late = 0, held = 0, held_before_tail = 0, highest = 0;
    for (const auto& a : r.arrivals) {
      const bool was_held = a.delay == 80ms;
      BOOST_TEST_REQUIRE((was_held || a.delay == 50ms));
      held += was_held ? 1 : 0;
      held_before_tail += was_held && a.seq < r.sent - 30 ? 1 : 0;
      if (a.seq < highest) ++late;
      highest = std::max(highest, a.seq);
    }
    BOOST_TEST(r.arrivals.size() == 100'000u);
    BOOST_TEST(held == r.stats.reordered);
    BOOST_TEST(late >= held_before_tail);
    BOOST_TEST(late <= held);
    BOOST_TEST(std::abs(static_cast<double>(late) / 1e5 - 0.05) < 0.0035);
  }
}

// No random draw is involved (no jitter, loss or reordering), so one seed covers it.
BOOST_AUTO_TEST_CASE(bandwidth_cap_is_respected) {
  SimulatedConfig config;
  config.latency = 20ms;
  config.bandwidth_bytes_per_second = 100'000;
  config.max_queue_delay = 250ms;
  {
    // 1000-byte datagrams, 2 every 10 ms for 10 s: twice what the link carries.
    const Run r = run(config, 1, 2000, 10ms, 1000, 2);
    BOOST_TEST_MESSAGE("delivered " << r.arrivals.size() << " of 2000, dropped by the cap "
                                    << r.stats.dropped_bandwidth);
    BOOST_TEST(r.stats.dropped_bandwidth > 0u);
    BOOST_TEST(r.stats.dropped_bandwidth + r.arrivals.size() == 2000u);
    // 10 s at 100 datagrams/s, plus at most the 250 ms queue that was full at the end.
    BOOST_TEST(r.arrivals.size() >= 990u);
    BOOST_TEST(r.arrivals.size() <= 1026u);
    // In any window of 1 s the link carried at most 100 000 bytes (+1 datagram at the edge).
    std::vector<Duration> at;
    for (const auto& a : r.arrivals) {
      at.push_back(Duration(static_cast<Duration::rep>(a.seq / 2) * Duration(10ms).count()) + a.delay);
    }
    std::sort(at.begin(), at.end());
    for (std::size_t i = 0, j = 0; i < at.size(); ++i) {
      while (at[i] - at[j] >= 1s) ++j;
      BOOST_TEST_REQUIRE((i - j + 1) * 1000 <= 100'000u + 1000u);
    }
    for (const auto& a : r.arrivals) BOOST_TEST_REQUIRE(a.delay <= 20ms + 250ms + 10ms + 1ms);
  }
}

BOOST_AUTO_TEST_CASE(full_queue_drops_and_counts) {
  SimulatedConfig config;
  config.latency = 100ms;
  config.queue_capacity = 10;
  const Run r = run(config, 7, 50, 0ms, 16, 50);  // all 50 in the first tick
  BOOST_TEST(r.stats.dropped_queue_full == 40u);
  BOOST_TEST(r.arrivals.size() == 10u);
  BOOST_TEST(r.stats.delivered == 10u);
}

BOOST_AUTO_TEST_CASE(set_config_changes_impairment_at_runtime) {
  LoopbackNetwork network;
  Sim sender(Loopback(network, sender_address), SimulatedConfig{}, 3);
  Loopback receiver(network, receiver_address);
  const std::array<std::byte, 1> b{};
  std::array<Datagram, 4> slots;
  BOOST_TEST(!sender.send(receiver_address, b));
  BOOST_TEST(receiver.receive(slots) == 1u);
  SimulatedConfig all_lost;
  all_lost.loss = 1.0;
  sender.set_config(all_lost);
  BOOST_TEST(sender.config().loss == 1.0);
  for (int i = 0; i < 10; ++i) BOOST_TEST(!sender.send(receiver_address, b));
  BOOST_TEST(receiver.receive(slots) == 0u);
  BOOST_TEST(sender.stats().lost_independent == 10u);

  SimulatedConfig bigger;
  bigger.latency = 1ms;
  bigger.queue_capacity = 10'000;  // grows the queue here, not on send
  sender.set_config(bigger);
  for (int i = 0; i < 5000; ++i) BOOST_TEST_REQUIRE(!sender.send(receiver_address, b));
  BOOST_TEST(sender.queued() == 5000u);
  BOOST_TEST(sender.stats().dropped_queue_full == 0u);
}

BOOST_AUTO_TEST_CASE(bad_config_is_refused) {
  const auto refused = [](SimulatedConfig c) {
    LoopbackNetwork network;
    try {
      Sim s(Loopback(network, sender_address), c, 1);
    } catch (const std::system_error& e) {
      return e.code() == courier::Error::invalid_config;
    }
    return false;
  };
  SimulatedConfig c;
  c.loss = 1.5;
  BOOST_TEST(refused(c));
  c = {};
  c.duplicate = -0.1;
  BOOST_TEST(refused(c));
  c = {};
  c.reorder = std::nan("");
  BOOST_TEST(refused(c));
  c = {};
  c.latency = -1ms;
  BOOST_TEST(refused(c));
  c = {};
  c.queue_capacity = 0;
  BOOST_TEST(refused(c));
  BOOST_TEST(!refused(everything()));
}

BOOST_AUTO_TEST_CASE(receive_passes_through) {
  LoopbackNetwork network;
  Sim a(Loopback(network, sender_address), everything(), 1);
  Loopback b(network, receiver_address);
  const std::array<std::byte, 2> bytes{};
  BOOST_TEST(!b.send(sender_address, bytes));
  std::array<Datagram, 2> slots;
  BOOST_TEST(a.receive(slots) == 1u);  // incoming is not impaired
  BOOST_TEST((slots[0].from == receiver_address));
}

BOOST_AUTO_TEST_SUITE_END()
