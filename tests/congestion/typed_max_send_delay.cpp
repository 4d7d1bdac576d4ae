// The typed layer with the rate controller on (ClientConfig::rate) and a pack-level
// MaxSendDelay: a client that writes snapshots faster than its rate lets them out sees the old
// ones dropped as Dropped(congestion), each reported by its signal and counted, while the
// newest still arrive and a reliable message sent after them is delivered. Over
// Simulated<Loopback> with a manual clock: deterministic.

#include "typed/harness.hpp"

#include <courier/schema/bounded_string.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace {

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;

struct Snapshot { std::uint32_t tick; BoundedString<400> state; };
struct Say { BoundedString<32> text; };
struct Hello { BoundedString<16> name; };

using Paced = ChannelPack<Version<"typed-rate 1">,
                          Channel<"snapshots", Unreliable, Snapshot, MaxSendDelay<100>, ClientToServer>,
                          Channel<"say", ReliableOrdered, Say>, ConnectMessage<Hello>,
                          UseTransport<Simulated<Loopback>>>;

static_assert(courier::detail::element_t<Paced::channels, 0>::max_send_delay_ms == 100);
static_assert(courier::detail::element_t<Paced::channels, 1>::max_send_delay_ms == 0);

ClientConfig slow_client() {
  ClientConfig c;
  c.rate.enabled = true;
  c.rate.min_bytes_per_second = 8 * 1024;
  c.rate.initial_bytes_per_second = 16 * 1024;
  c.rate.max_bytes_per_second = 16 * 1024;  // ~40 snapshots a second
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(typed_max_send_delay_test)

BOOST_AUTO_TEST_CASE(old_snapshots_are_dropped_as_congestion_and_reported) {
  World<Paced> w;
  auto& c = w.add_client({}, slow_client());
  BOOST_REQUIRE(!c.connect(w.token(1), Hello{"pacer"}));
  BOOST_REQUIRE(w.run_until([&] { return c.connected(); }));
  (void)drain(*w.server);

  // 100 snapshots of ~410 bytes at once: 2.5 s of sending at 16 KiB/s, far past 100 ms.
  const std::string state(400, 's');
  std::vector<Signal> sent;
  for (std::uint32_t i = 0; i < 100; ++i) sent.push_back(c.send(Snapshot{i, state.c_str()}));
  for (const Signal& s : sent) BOOST_REQUIRE(!s.error);
  BOOST_REQUIRE(!c.send(Say{"after the burst"}).error);
  w.run_for(3s);

  const auto events = drain(*w.server);
  const auto arrived = of_type<server_event::Message<Snapshot>>(events);
  std::size_t congestion = 0, final_states = 0;
  for (const Signal& s : sent) {
    const DeliveryStatus st = c.status(s);
    if (st.is_final()) ++final_states;
    if (st.state == DeliveryState::dropped && st.reason == Error::congestion) ++congestion;
  }
  BOOST_TEST(arrived.size() > 0u, "the controller still lets snapshots out");
  BOOST_TEST(congestion > 50u, "most of the burst was older than 100 ms before its turn");
  BOOST_TEST(arrived.size() + congestion <= 100u);
  BOOST_TEST(final_states == 100u, "every snapshot's signal ends: acked, lost or dropped");
  BOOST_TEST(c.channel_stats<Snapshot>().dropped_congestion == congestion);
  // What arrived is the burst's oldest survivors first, in order of sending.
  for (std::size_t i = 1; i < arrived.size(); ++i) BOOST_TEST(arrived[i - 1].message.tick < arrived[i].message.tick);
  BOOST_TEST(of_type<server_event::Message<Say>>(events).size() == 1u, "the reliable message is never dropped");
}

BOOST_AUTO_TEST_SUITE_END()
