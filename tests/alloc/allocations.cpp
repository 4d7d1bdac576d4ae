// Counts heap allocations with a global operator new: a connection allocates everything when it
// is built, and nothing per message or packet afterwards. Also measures what a connection with
// the default configuration costs (the number docs/PROTOCOL.md states, Part 2 §4).
#include <courier/channel/connection.hpp>
#include <courier/typed/detail/event_queue.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <cstdlib>
#include <new>
#include <vector>

// g++ 12 flags free() on a pointer from a (replaced) operator new; the pair here is consistent.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
std::size_t g_allocations = 0;
std::size_t g_bytes = 0;
}  // namespace

void* operator new(std::size_t n) {
  ++g_allocations;
  g_bytes += n;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {  // std::stable_sort uses it
  ++g_allocations;
  g_bytes += n;
  return std::malloc(n == 0 ? 1 : n);
}
// Array forms too: connection byte storage is `new std::byte[]` (reliable/byte_buffer.hpp), and
// under ASan an unreplaced operator new[] would bypass the count.
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

BOOST_AUTO_TEST_SUITE(allocations_test)

BOOST_AUTO_TEST_CASE(a_default_connection_costs_what_the_docs_say) {
  const std::size_t before = g_bytes;
  {
    courier::Connection c{courier::ConnectionConfig{}};
    // Everything is on the heap now; its tables hold nothing until they are used.
    const std::size_t heap = g_bytes - before;
    BOOST_TEST_MESSAGE("default connection: " << heap << " bytes on the heap, " << c.table_bytes()
                                              << " of them tables that may grow to " << c.table_limit_bytes());
    BOOST_TEST(c.table_bytes() == 0u);
    BOOST_TEST(heap < 4u * 1024);  // docs/PERFORMANCE.md: a fresh default connection
    BOOST_TEST(c.table_limit_bytes() > 1024u * 1024);  // docs: about 1.1 MiB at full size
    BOOST_TEST(c.table_limit_bytes() < 1152u * 1024);
  }
}

BOOST_AUTO_TEST_CASE(no_allocation_per_message_after_warm_up) {
  courier::Connection a{courier::ConnectionConfig{}}, b{courier::ConnectionConfig{}};
  std::array<std::byte, 1200> out{};
  std::vector<std::byte> small(40, std::byte{1}), tiny(20, std::byte{2}), block(4000, std::byte{3});
  courier::TimePoint now{};
  std::size_t received = 0;
  const auto tick = [&](int i) {
    now += std::chrono::milliseconds(5);
    for (int k = 0; k < 8; ++k) (void)a.send(0, 0, small);
    (void)a.send(1, 0, tiny);
    if (i % 50 == 0) (void)a.send(0, 0, block);
    a.update(now);
    b.update(now);
    for (int k = 0; k < 4; ++k) {
      if (const std::size_t n = a.write_packet(now, out)) (void)b.read_packet(now, std::span(out.data(), n));
      if (const std::size_t n = b.write_packet(now, out)) (void)a.read_packet(now, std::span(out.data(), n));
    }
    for (std::size_t ch = 0; ch < 2; ++ch)
      while (b.receive(ch)) ++received;
  };
  // Warm-up: the tables grow until each ring has wrapped once (the largest, the 4 096 status
  // records at 9 messages a tick, after ~455 ticks); from then on nothing allocates.
  for (int i = 0; i < 600; ++i) tick(i);
  const std::size_t allocations = g_allocations;
  const std::size_t received_before = received;
  const std::size_t held_a = a.table_bytes(), held_b = b.table_bytes();
  for (int i = 600; i < 2600; ++i) tick(i);
  BOOST_TEST(g_allocations - allocations == 0u);
  BOOST_TEST(received - received_before > 15000u);
  BOOST_TEST(a.table_bytes() == held_a);
  BOOST_TEST(b.table_bytes() == held_b);
  BOOST_TEST_MESSAGE("working size: sender " << held_a << " bytes, receiver " << held_b << " of "
                                             << a.table_limit_bytes() << " at most");
}

// The typed Client / Server / HostClient event queue: events as large as a message (1 KiB
// here) are pushed and taken without allocating once the largest backlog has been seen, in
// FIFO order, also when the application never drains completely.
BOOST_AUTO_TEST_CASE(typed_events_queue_without_allocating_after_warm_up) {
  using Event = std::array<std::uint32_t, 256>;
  courier::detail::EventQueue<Event> q;
  std::uint32_t pushed = 0, taken = 0;
  bool in_order = true;
  const auto push = [&] { q.emplace_back(Event{pushed++}); };
  const auto take = [&] {
    in_order = in_order && q.front()[0] == taken++;
    q.pop_front();
  };
  for (int i = 0; i < 64; ++i) push();  // warm-up: the largest backlog
  while (!q.empty()) take();
  const std::size_t allocations = g_allocations;
  for (int round = 0; round < 1000; ++round) {
    for (int i = 0; i < 16; ++i) push();
    while (q.size() > 1) take();  // leaves one behind every round
  }
  while (!q.empty()) take();
  BOOST_TEST(g_allocations - allocations == 0u);
  BOOST_TEST(in_order);
  BOOST_TEST(taken == pushed);
}

BOOST_AUTO_TEST_SUITE_END()
