#include <courier/netcode/replay_protection.hpp>
#include <courier/netcode/replay_protection.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/netcode/packet_reader.hpp>

#include <boost/test/unit_test.hpp>

#include "netcode/vectors.hpp"

namespace nc = courier::netcode;
using namespace courier::test;

BOOST_AUTO_TEST_SUITE(replay_protection_test)

BOOST_AUTO_TEST_CASE(every_scenario_step_matches_the_current_reference) {
  const auto file = load_vectors("replay_protection.json");
  BOOST_TEST(file.get<std::size_t>("buffer_size") == nc::ReplayProtection<>::size);
  std::size_t steps = 0;
  for (const auto& scenario : items(file, "scenarios")) {
    BOOST_TEST_CONTEXT(scenario.get<std::string>("name")) {
      nc::ReplayProtection<> window;
      for (const auto& step : items(scenario, "steps")) {
        const auto s = u64_at(step, "sequence");
        const bool accepted = !window.already_received(s);
        if (accepted) window.advance(s);
        BOOST_TEST(accepted == (step.get<std::string>("accepted") == "true"), "sequence " << s);
        BOOST_TEST(window.most_recent() == u64_at(step, "most_recent_after"));
        ++steps;
      }
    }
  }
  BOOST_TEST(steps == 50u);
}

BOOST_AUTO_TEST_CASE(the_reader_advances_the_window_only_after_a_good_decrypt) {
  const auto file = load_vectors("replay_protection.json");
  for (const auto& scenario : items(file, "reader_scenarios")) {
    VectorReader reader(scenario.get_child("read_context"));
    std::array<std::byte, nc::max_packet_bytes> plain{};
    for (const auto& step : items(scenario, "steps")) {
      const auto r = nc::read_packet<courier::Netcode102>(hex_at(step, "wire"), reader.ctx, plain);
      BOOST_TEST(r.ok == (step.get<std::string>("accepted") == "true"), "sequence " << step.get<std::string>("sequence"));
      BOOST_TEST(reader.replay.most_recent() == u64_at(step, "most_recent_after"));
      const auto stage = step.get<std::string>("reject_stage");
      if (stage == "replayed") BOOST_TEST((r.reason == courier::DropReason::replayed));
      if (stage == "decrypt_failed") BOOST_TEST((r.reason == courier::DropReason::decrypt_failed));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_larger_window_keeps_more_history) {
  nc::ReplayProtection<1024> window;
  window.advance(2000);
  BOOST_TEST(!window.already_received(1000));  // 1000 sequences back: inside a 1024 window
  BOOST_TEST(window.already_received(976));    // exactly 1024 back: too old
  nc::ReplayProtection<> small;
  small.advance(2000);
  BOOST_TEST(small.already_received(1000));
}

BOOST_AUTO_TEST_SUITE_END()
