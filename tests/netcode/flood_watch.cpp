// FloodWatch and the server's flood line: the rate of strangers' datagrams over whole seconds of
// the server's clock, in the stats, and one rate-limited log line while it stays above the
// threshold. Players' own traffic never counts.

#include <boost/test/unit_test.hpp>

#include <courier/netcode/flood_watch.hpp>

#include "harness.hpp"

using namespace courier;
using namespace courier::test;
using namespace std::chrono_literals;
namespace nc = courier::netcode;

namespace {

/// `per_step` 16-byte datagrams from `stranger` to the server, then one 10 ms step of the world.
void flood_step(Setup& s, Loopback& stranger, int per_step) {
  std::array<std::byte, 16> junk{};
  junk[0] = std::byte{5};  // a payload's prefix: the encrypted-packet path, refused for having no session
  for (int i = 0; i < per_step; ++i) BOOST_REQUIRE(!stranger.send(s.server.bind_address(), junk));
  s.step();
}

std::size_t lines_with(const std::vector<std::string>& log, const char* text) {
  std::size_t n = 0;
  for (const auto& l : log) n += l.find(text) != std::string::npos ? 1 : 0;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(flood_watch_test)

BOOST_AUTO_TEST_CASE(the_rate_is_measured_over_whole_seconds_of_the_given_clock) {
  nc::detail::FloodWatch w;
  TimePoint t{};
  BOOST_TEST(!w.update(t, 0, 100));  // the first call starts the window
  BOOST_TEST(!w.update(t + 500ms, 300, 100));
  BOOST_TEST(w.rate() == 0u);  // no whole second yet
  BOOST_TEST(w.update(t + 1s, 400, 100));
  BOOST_TEST(w.rate() == 400u);
  BOOST_TEST(!w.update(t + 3s, 450, 100));  // 50 in two seconds
  BOOST_TEST(w.rate() == 25u);
  BOOST_TEST(!w.update(t + 4s, 1450, 0));  // threshold 0: never a notice, the rate still measured
  BOOST_TEST(w.rate() == 1000u);
}

BOOST_AUTO_TEST_CASE(a_flood_of_strangers_gives_its_rate_and_one_log_line_per_interval) {
  std::vector<std::string> log;
  auto config = server_config(test_server_address);
  config.flood_notice_per_second = 10000;
  config.log = [&log](std::string_view line) { log.emplace_back(line); };
  Setup s(config);
  BOOST_REQUIRE(s.connect(s.token(1)));
  s.run_until([] { return false; }, 2s);  // a player alone: nothing from strangers
  BOOST_TEST(s.server.stats().unauthenticated_per_second == 0u);

  Loopback stranger(s.network, addr("10.6.6.6:666"));
  for (int i = 0; i < 300; ++i) flood_step(s, stranger, 200);  // 3 s at 20 000 a second
  BOOST_TEST(s.server.stats().unauthenticated_per_second >= 19000u);
  BOOST_TEST(s.server.stats().unauthenticated_per_second <= 21000u);
  BOOST_TEST(lines_with(log, "a flood?") == 1u);  // three seconds above: one line, the rest counted
  BOOST_TEST(log.back().find("a second") != std::string::npos);
  BOOST_TEST(s.client.connected());

  for (int i = 0; i < 800; ++i) flood_step(s, stranger, 200);  // past the 10 s interval
  BOOST_TEST(lines_with(log, "a flood?") == 2u);
  BOOST_TEST(log.back().find("more since the last") != std::string::npos);

  s.run_until([] { return false; }, 2s);  // the flood ends: the rate falls back
  BOOST_TEST(s.server.stats().unauthenticated_per_second == 0u);
  BOOST_TEST(s.client.connected());
}

BOOST_AUTO_TEST_CASE(below_the_threshold_there_is_no_line) {
  std::vector<std::string> log;
  auto config = server_config(test_server_address);
  config.flood_notice_per_second = 10000;
  config.log = [&log](std::string_view line) { log.emplace_back(line); };
  Setup s(config);
  Loopback stranger(s.network, addr("10.6.6.6:666"));
  for (int i = 0; i < 300; ++i) flood_step(s, stranger, 50);  // 5 000 a second
  BOOST_TEST(s.server.stats().unauthenticated_per_second >= 4500u);
  BOOST_TEST(lines_with(log, "a flood?") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
