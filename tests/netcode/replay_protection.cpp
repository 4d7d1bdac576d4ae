#include <courier/netcode/replay_protection.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/netcode/packet_reader.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdint>
#include <random>

#include "netcode/vectors.hpp"

namespace nc = courier::netcode;
using namespace courier::test;

namespace {

/// The window as the netcode.io standard describes it (a table of Size sequence numbers, empty
/// slots holding 2^64-1): the model the one-bit-per-sequence window must agree with.
struct TableWindow {
  static constexpr std::uint64_t empty = ~std::uint64_t{0};
  std::uint64_t most_recent = 0;
  std::array<std::uint64_t, 256> received;
  TableWindow() { received.fill(empty); }
  [[nodiscard]] bool already_received(std::uint64_t s) const {
    if (most_recent >= 256 && s <= most_recent - 256) return true;
    const std::uint64_t e = received[s % 256];
    return e != empty && e >= s;
  }
  void advance(std::uint64_t s) {
    if (s > most_recent) most_recent = s;
    received[s % 256] = s;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(replay_protection_test)

BOOST_AUTO_TEST_CASE(the_bit_window_answers_like_the_table_of_the_standard) {
  std::mt19937_64 rng(17);
  for (const std::uint64_t base : {std::uint64_t{0}, std::uint64_t{1} << 40, ~std::uint64_t{0} - 5000}) {
    nc::ReplayProtection<> bits;
    TableWindow table;
    std::uint64_t next = base;
    for (int i = 0; i < 200000; ++i) {
      // mostly in order, with reordering, duplicates, old packets and jumps
      const std::uint64_t r = rng() % 100;
      std::uint64_t s = next;
      if (r < 60) s = next++;
      else if (r < 85) s = next - rng() % 300;
      else if (r < 95) s = next + rng() % 40;
      else s = next += rng() % 600;
      if (s < base) s = base;
      const bool seen = bits.already_received(s);
      BOOST_REQUIRE_MESSAGE(seen == table.already_received(s), "sequence " << s << " step " << i);
      if (!seen) {
        bits.advance(s);
        table.advance(s);
      }
      BOOST_REQUIRE(bits.most_recent() == table.most_recent);
      if (next > ~std::uint64_t{0} - 1000) next = ~std::uint64_t{0} - 1000;  // stay below the top
    }
  }
}

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
