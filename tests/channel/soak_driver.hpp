#pragma once
// The lossy-link soak shared by the CI run (lossy_link.cpp) and the full soak
// (connection_soak.cpp): one side streams messages on a ReliableOrdered channel and one
// UnreliableSequenced message per tick over Simulated<Loopback> (20 % bursty loss,
// 100 ms ± 50 ms, 5 % duplicates, reordering), with a manual clock.

#include <courier/channel/connection.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstring>
#include <deque>
#include <vector>

#include "reliable/sim_link.hpp"

namespace courier::test {

struct SoakResult {
  std::uint64_t ordered_delivered = 0;
  std::uint64_t ordered_errors = 0;         // wrong index, id or bytes
  std::uint64_t sequenced_sent = 0;
  std::uint64_t sequenced_delivered = 0;
  std::uint64_t sequenced_went_back = 0;    // an older one after a newer one
  std::uint64_t sequenced_acked = 0;
  std::uint64_t acked_not_delivered = 0;    // an Acked status whose message never arrived
  std::uint64_t ordered_acked_checked = 0;
  std::uint64_t ordered_never_acked = 0;    // sampled reliable sends still not Acked at the end
  std::uint64_t violations = 0;
  double simulated_seconds = 0;
};

inline ConnectionConfig soak_config() {
  ConnectionConfig cfg;
  cfg.channels = {ChannelConfig{.mode = ChannelMode::reliable_ordered, .message_id_count = 4,
                                .max_inline_bytes = 256, .max_message_bytes = 256,
                                .send_queue_capacity = 1024, .receive_queue_capacity = 1024},
                  ChannelConfig{.mode = ChannelMode::unreliable_sequenced, .priority = 1,
                                .max_inline_bytes = 16, .send_queue_capacity = 64,
                                .receive_queue_capacity = 64}};
  return cfg;
}

inline std::size_t soak_size(std::uint64_t i) { return 8 + (i * 7) % 48; }
inline std::byte soak_byte(std::uint64_t i, std::size_t k) { return std::byte(static_cast<std::uint8_t>(i * 13 + k)); }

inline SoakResult run_soak(std::uint64_t seed, std::uint64_t messages) {
  Connection a(soak_config()), b(soak_config());
  SimLink link(harsh_link(), seed);
  SoakResult r;
  std::array<std::byte, 1200> out{};
  std::array<std::byte, 64> msg{};
  std::vector<bool> us_delivered;
  std::deque<std::pair<std::uint64_t, MessageHandle>> us_pending, ro_sampled;
  std::uint64_t next_send = 0, next_expect = 0;
  std::int64_t newest_us = -1;
  TimePoint now{};
  // Runs until every message arrived and every tracked status is final.
  while ((next_expect < messages || !us_pending.empty() || !ro_sampled.empty()) &&
         now < TimePoint{} + std::chrono::hours(2)) {
    now += std::chrono::milliseconds(4);
    for (; next_send < messages; ++next_send) {
      const std::size_t n = soak_size(next_send);
      std::memcpy(msg.data(), &next_send, 8);
      for (std::size_t k = 8; k < n; ++k) msg[k] = soak_byte(next_send, k);
      const SendResult s = a.send(0, static_cast<std::uint32_t>(next_send % 4), std::span(msg.data(), n));
      if (!s) break;
      if (next_send % 101 == 0) ro_sampled.emplace_back(next_send, s.handle);
    }
    std::memcpy(msg.data(), &r.sequenced_sent, 8);
    if (next_expect < messages)
      if (const SendResult s = a.send(1, 0, std::span(msg.data(), 8))) us_pending.emplace_back(r.sequenced_sent++, s.handle);
    us_delivered.resize(r.sequenced_sent, false);
    a.update(now);
    b.update(now);
    if (const std::size_t n = a.write_packet(now, out)) link.send(0, std::span(out.data(), n));
    if (const std::size_t n = b.write_packet(now, out)) link.send(1, std::span(out.data(), n));
    link.pump(now, [&](int to, std::span<const std::byte> bytes) {
      r.violations += static_cast<bool>((to == 0 ? a : b).read_packet(now, bytes));
    });
    while (auto m = b.receive(0)) {
      std::uint64_t i = 0;
      std::memcpy(&i, m->bytes.data(), 8);
      bool ok = i == next_expect && m->message_id == i % 4 && m->bytes.size() == soak_size(i);
      for (std::size_t k = 8; ok && k < m->bytes.size(); ++k) ok = m->bytes[k] == soak_byte(i, k);
      r.ordered_errors += !ok;
      ++next_expect;
    }
    while (auto m = b.receive(1)) {
      std::uint64_t i = 0;
      std::memcpy(&i, m->bytes.data(), 8);
      r.sequenced_went_back += static_cast<std::int64_t>(i) <= newest_us;
      newest_us = static_cast<std::int64_t>(i);
      us_delivered[i] = true;
      ++r.sequenced_delivered;
    }
    while (!us_pending.empty() && a.status(us_pending.front().second).is_final()) {
      const auto st = a.status(us_pending.front().second);
      if (st.state == DeliveryState::acked) {
        ++r.sequenced_acked;
        r.acked_not_delivered += !us_delivered[us_pending.front().first];
      }
      us_pending.pop_front();
    }
    while (!ro_sampled.empty() && a.status(ro_sampled.front().second).state == DeliveryState::acked) {
      // acked: the peer holds it; it is delivered as soon as every earlier one is
      ++r.ordered_acked_checked;
      ro_sampled.pop_front();
    }
  }
  r.ordered_delivered = next_expect;
  r.ordered_never_acked = ro_sampled.size();
  r.simulated_seconds = to_seconds(now - TimePoint{});
  return r;
}

inline void check_soak(const SoakResult& r, std::uint64_t messages, std::uint64_t seed) {
  BOOST_TEST_MESSAGE("seed " << seed << ": " << r.ordered_delivered << " ordered messages in "
                     << r.simulated_seconds << " s simulated; sequenced " << r.sequenced_delivered << "/"
                     << r.sequenced_sent << " delivered, " << r.sequenced_acked << " acked");
  BOOST_TEST(r.ordered_delivered == messages, "seed " << seed);
  BOOST_TEST(r.ordered_errors == 0u, "seed " << seed);
  BOOST_TEST(r.sequenced_went_back == 0u, "seed " << seed);
  BOOST_TEST(r.acked_not_delivered == 0u, "seed " << seed);
  BOOST_TEST(r.violations == 0u, "seed " << seed);
  BOOST_TEST(r.ordered_never_acked == 0u, "seed " << seed);
  // ±50 ms jitter at 250 messages/s makes most sequenced messages stale on arrival
  BOOST_TEST(r.sequenced_delivered > r.sequenced_sent / 10, "seed " << seed);
  BOOST_TEST(r.sequenced_acked > 0u, "seed " << seed);
  BOOST_TEST(r.ordered_acked_checked > 0u, "seed " << seed);
}

}  // namespace courier::test
