// Arena / ArenaScope / RawStorage: storage made inside a scope is carved from the arena, back
// to back and aligned; outside any scope it comes from the heap; scopes nest and end cleanly.

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include <courier/core/arena.hpp>
#include <courier/core/lazy_table.hpp>

using namespace courier::detail;

namespace {
std::uintptr_t address(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }
}  // namespace

BOOST_AUTO_TEST_SUITE(arena_test)

BOOST_AUTO_TEST_CASE(storage_in_a_scope_is_carved_back_to_back) {
  Arena arena;
  const ArenaScope scope(arena);
  RawStorage<std::uint8_t> a(3);
  RawStorage<std::uint64_t> b(2);  // aligned up past a's three bytes
  RawStorage<std::uint8_t> c(1);
  BOOST_TEST(address(b.data()) % alignof(std::uint64_t) == 0u);
  BOOST_TEST(address(b.data()) - address(a.data()) == 8u);
  BOOST_TEST(address(c.data()) - address(b.data()) == 16u);
  b.data()[1] = 42;  // writable
  BOOST_TEST(b.data()[1] == 42u);
}

BOOST_AUTO_TEST_CASE(a_request_larger_than_a_block_gets_its_own) {
  Arena arena;
  const ArenaScope scope(arena);
  RawStorage<std::byte> small(16);
  RawStorage<std::byte> big(Arena::block_bytes + 1);
  big.data()[Arena::block_bytes] = std::byte{7};  // the whole request is mapped
  BOOST_TEST(big.count() == Arena::block_bytes + 1);
  RawStorage<std::byte> next(16);  // continues in the newest block
  BOOST_TEST(next.data() != nullptr);
}

BOOST_AUTO_TEST_CASE(scopes_nest_and_restore) {
  BOOST_TEST(filling_arena == nullptr);
  Arena outer, inner;
  {
    const ArenaScope a(outer);
    BOOST_TEST(filling_arena == &outer);
    {
      const ArenaScope b(inner);
      BOOST_TEST(filling_arena == &inner);
    }
    BOOST_TEST(filling_arena == &outer);
  }
  BOOST_TEST(filling_arena == nullptr);
}

BOOST_AUTO_TEST_CASE(a_member_arena_fills_until_done) {
  auto m = std::make_unique<MemberArena>();
  BOOST_TEST(filling_arena != nullptr);
  m->done();
  BOOST_TEST(filling_arena == nullptr);
  m.reset();  // a finished arena frees its blocks without touching the scope
  BOOST_TEST(filling_arena == nullptr);
  {
    MemberArena unfinished;  // an owner whose constructor threw: the scope ends with it
  }
  BOOST_TEST(filling_arena == nullptr);
}

BOOST_AUTO_TEST_CASE(outside_a_scope_storage_is_the_heap_and_moves) {
  RawStorage<int> a(4);
  a.data()[3] = 5;
  RawStorage<int> b(std::move(a));
  BOOST_TEST(b.data()[3] == 5);
  BOOST_TEST(b.count() == 4u);
  BOOST_TEST(a.data() == nullptr);  // NOLINT(bugprone-use-after-move): moved-from is empty
  LazyTable<int> t(8, -1);  // tables work the same either way
  t[2] = 1;
  BOOST_TEST(std::as_const(t)[1] == -1);
}

BOOST_AUTO_TEST_SUITE_END()
