#include <courier/netcode/encryption_manager.hpp>
#include <courier/netcode/encryption_manager.hpp>
#include <courier/netcode/fixed_hash_map.hpp>
#include <courier/netcode/token_history.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <random>
#include <unordered_map>

namespace nc = courier::netcode;
using namespace std::chrono_literals;
using courier::Address;

namespace {

Address client(std::uint16_t i) { return Address::ipv4(10, 0, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i), 5000); }

nc::EncryptionMapping mapping(const Address& a, std::int32_t timeout) {
  nc::EncryptionMapping m;
  m.address = a;
  m.timeout_seconds = timeout;
  m.send_key[0] = 1;
  m.receive_key[0] = 2;
  return m;
}

nc::TokenTag tag(std::uint8_t i) {
  nc::TokenTag t{};
  t[0] = static_cast<std::byte>(i);
  t[15] = std::byte{0x5a};
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(encryption_manager_test)

BOOST_AUTO_TEST_CASE(fixed_hash_map_insert_find_erase_without_tombstones) {
  nc::detail::FixedHashMap<std::uint64_t, int> map(100);
  for (int i = 0; i < 100; ++i) BOOST_REQUIRE(map.insert(static_cast<std::uint64_t>(i) * 1024, i));
  BOOST_TEST(map.full());
  BOOST_TEST(!map.insert(999999, 1));
  BOOST_TEST(map.insert(0, 42));  // overwrite works when full
  BOOST_TEST(*map.find(0) == 42);
  for (int i = 0; i < 100; i += 2) BOOST_REQUIRE(map.erase(static_cast<std::uint64_t>(i) * 1024));
  for (int i = 0; i < 100; ++i) {
    const int* v = map.find(static_cast<std::uint64_t>(i) * 1024);
    BOOST_TEST((i % 2 == 0 ? v == nullptr : (v != nullptr && *v == i)));
  }
  BOOST_TEST(map.size() == 50u);
  BOOST_TEST(!map.erase(12345));
}

// The table starts small and doubles with its entries; across every growth (and the erases
// between them) it answers as a std::unordered_map does.
BOOST_AUTO_TEST_CASE(fixed_hash_map_grows_with_its_entries) {
  nc::detail::FixedHashMap<std::uint64_t, std::uint32_t> map(10'000);
  BOOST_TEST(map.buckets() == 64u);
  std::unordered_map<std::uint64_t, std::uint32_t> model;
  std::mt19937_64 rng(7);
  for (std::uint32_t step = 0; step < 40'000; ++step) {
    const std::uint64_t key = rng() % 30'000;
    if (rng() % 4 == 0) {
      BOOST_REQUIRE_EQUAL(map.erase(key), model.erase(key) == 1);
    } else if (model.size() < 10'000 || model.count(key) == 1) {
      BOOST_REQUIRE(map.insert(key, step));
      model[key] = step;
    }
    BOOST_REQUIRE_EQUAL(map.size(), model.size());
    BOOST_REQUIRE_LE(2 * map.size(), map.buckets());
  }
  BOOST_TEST(map.buckets() <= 32'768u);  // never past twice the capacity, rounded up
  BOOST_TEST(map.buckets() > 64u);
  for (std::uint64_t key = 0; key < 30'000; ++key) {
    const std::uint32_t* v = map.find(key);
    const auto it = model.find(key);
    BOOST_REQUIRE_EQUAL(v != nullptr, it != model.end());
    if (v != nullptr) BOOST_REQUIRE_EQUAL(*v, it->second);
  }
}

BOOST_AUTO_TEST_CASE(add_find_expire_remove) {
  nc::EncryptionManager m(4);
  const courier::TimePoint t0{};
  BOOST_REQUIRE(m.add(mapping(client(1), 5), t0) != nullptr);
  auto* found = m.find(client(1), t0 + 1s);
  BOOST_REQUIRE(found != nullptr);
  BOOST_TEST(found->receive_key[0] == 2);
  BOOST_TEST(m.find(client(2), t0) == nullptr);
  // A pending mapping expires at add time + timeout, whatever the traffic.
  BOOST_TEST(m.find(client(1), t0 + 5s) != nullptr);
  BOOST_TEST(m.find(client(1), t0 + 5s + 1ns) == nullptr);
  BOOST_TEST(m.size() == 0u);
  // Without expiry (client connected) it dies when idle for longer than the timeout.
  auto* e = m.add(mapping(client(3), 2), t0);
  e->has_expire = false;
  BOOST_TEST(m.find(client(3), t0 + 2s) != nullptr);
  BOOST_TEST(m.find(client(3), t0 + 4s) != nullptr);
  BOOST_TEST(m.find(client(3), t0 + 6s + 1ns) == nullptr);
  BOOST_REQUIRE(m.add(mapping(client(4), 5), t0) != nullptr);
  BOOST_TEST(m.remove(client(4)));
  BOOST_TEST(!m.remove(client(4)));
}

BOOST_AUTO_TEST_CASE(negative_timeout_never_expires_and_full_table_reclaims_expired) {
  nc::EncryptionManager m(2);
  const courier::TimePoint t0{};
  BOOST_REQUIRE(m.add(mapping(client(1), -1), t0));
  BOOST_REQUIRE(m.add(mapping(client(2), 1), t0));
  BOOST_TEST(m.add(mapping(client(3), 1), t0) == nullptr);  // full of live mappings
  BOOST_TEST(m.add(mapping(client(3), 1), t0 + 2s) != nullptr);  // client 2's expired: reclaimed
  BOOST_TEST(m.find(client(1), t0 + 1000s) != nullptr);
  BOOST_TEST(m.find(client(2), t0 + 2s) == nullptr);
  BOOST_TEST(m.add(mapping(client(1), 1), t0) != nullptr);  // refreshing an existing address
  BOOST_TEST(m.size() == 2u);
}

BOOST_AUTO_TEST_CASE(token_history_reuse_rules) {
  nc::TokenHistory h(16);
  BOOST_TEST((h.check_and_record(tag(1), client(1), 100, 0) == nc::TokenHistory::Verdict::accepted));
  BOOST_TEST((h.check_and_record(tag(1), client(1), 100, 0) == nc::TokenHistory::Verdict::accepted));  // retry
  BOOST_TEST((h.check_and_record(tag(1), client(2), 100, 0) == nc::TokenHistory::Verdict::other_address));
  h.consume(tag(1));
  BOOST_TEST((h.check_and_record(tag(1), client(1), 100, 0) == nc::TokenHistory::Verdict::consumed));
  BOOST_TEST((h.check_and_record(tag(1), client(2), 100, 0) == nc::TokenHistory::Verdict::consumed));
}

BOOST_AUTO_TEST_CASE(token_history_at_its_bound_refuses_rather_than_forgets) {
  nc::TokenHistory h(nc::TokenHistory::eviction_attempts);
  for (std::uint8_t i = 0; i < nc::TokenHistory::eviction_attempts; ++i) {
    BOOST_REQUIRE((h.check_and_record(tag(i), client(i), 100, 0) == nc::TokenHistory::Verdict::accepted));
    h.consume(tag(i));
  }
  // Full of consumed, live tokens: a new token is refused, none is forgotten.
  BOOST_TEST((h.check_and_record(tag(200), client(200), 100, 50) == nc::TokenHistory::Verdict::full));
  BOOST_TEST((h.check_and_record(tag(0), client(0), 100, 50) == nc::TokenHistory::Verdict::consumed));
  // Once they expire they may go.
  BOOST_TEST((h.check_and_record(tag(200), client(200), 300, 100) == nc::TokenHistory::Verdict::accepted));
  BOOST_TEST(h.size() == nc::TokenHistory::eviction_attempts);
}

BOOST_AUTO_TEST_CASE(token_history_forgets_pending_tokens_first) {
  nc::TokenHistory h(4);
  for (std::uint8_t i = 0; i < 4; ++i) h.check_and_record(tag(i), client(i), 100, 0);
  h.consume(tag(0));
  BOOST_TEST((h.check_and_record(tag(9), client(9), 100, 0) == nc::TokenHistory::Verdict::accepted));
  BOOST_TEST(h.contains(tag(0)));   // consumed: kept
  BOOST_TEST(!h.contains(tag(1)));  // oldest pending: evicted
}

BOOST_AUTO_TEST_SUITE_END()
