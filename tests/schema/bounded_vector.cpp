#include <courier/schema/bounded_vector.hpp>

#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <stdexcept>

#include "schema/schemas.hpp"

using courier::Error;
using schema_samples::Schemas;

namespace {

/// Records the largest single allocation, to prove decoding never allocates by a declared length.
struct AllocationLog {
  static inline std::size_t largest = 0;
  static inline std::size_t count = 0;
};

template <class T>
struct CountingAllocator {
  using value_type = T;
  constexpr CountingAllocator() noexcept = default;
  template <class U>
  constexpr CountingAllocator(const CountingAllocator<U>& /*other*/) noexcept {}
  T* allocate(std::size_t n) {
    AllocationLog::largest = std::max(AllocationLog::largest, n * sizeof(T));
    ++AllocationLog::count;
    return std::allocator<T>{}.allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>{}.deallocate(p, n); }
  friend bool operator==(const CountingAllocator&, const CountingAllocator&) = default;
};

using Huge = courier::BoundedVector<std::uint8_t, (1u << 20), CountingAllocator<std::uint8_t>>;
using Points = courier::BoundedVector<std::int16_t, 3>;

}  // namespace

BOOST_AUTO_TEST_SUITE(bounded_vector_test)

BOOST_AUTO_TEST_CASE(never_grows_past_its_bound) {
  Points p{1, 2};
  p.push_back(3);
  BOOST_TEST(p.size() == 3u);
  BOOST_CHECK_THROW(p.push_back(4), std::length_error);
  BOOST_CHECK_THROW(p.emplace_back(std::int16_t{4}), std::length_error);
  BOOST_CHECK_THROW(p.resize(4), std::length_error);
  BOOST_CHECK_THROW(p.reserve(4), std::length_error);
  BOOST_CHECK_THROW((Points{1, 2, 3, 4}), std::length_error);
  BOOST_TEST(!p.try_push_back(4));
  BOOST_TEST(p.size() == 3u);
  p.pop_back();
  BOOST_TEST(p.try_push_back(9));
  BOOST_TEST(p.back() == 9);
  BOOST_TEST(Points::max_size() == 3u);
  p.clear();
  BOOST_TEST(p.empty());
}

BOOST_AUTO_TEST_CASE_TEMPLATE(wire_size_uses_the_fewest_bits_for_the_length, Schema, Schemas) {
  // BitPacked: 2 + 48 bits; ByteAligned: 1 + 6 bytes.
  static_assert(Schema::template max_bytes<Points> == 7);
  // BitPacked: 9 + 2048 bits; ByteAligned: 2 + 256 bytes.
  static_assert(Schema::template max_bytes<courier::BoundedVector<std::uint8_t, 256>> == 258);
  Points p{-1, 5};
  BOOST_TEST(Schema::measure(p) == 5u);  // BitPacked: 2 + 32 bits; ByteAligned: 1 + 4 bytes
}

BOOST_AUTO_TEST_CASE_TEMPLATE(huge_declared_length_allocates_nothing, Schema, Schemas) {
  AllocationLog::largest = 0;
  AllocationLog::count = 0;
  Huge v;
  // A 4-byte input whose length prefix declares the full bound 2^20: the 0..3 bytes after the
  // prefix cannot hold it, so the decode must fail before any allocation.
  const std::array<std::byte, 4> declared_max{std::byte{0x00}, std::byte{0x00}, std::byte{0x10},
                                              std::byte{0x00}};
  BOOST_TEST((Schema::decode(declared_max, v) == Error::truncated));
  // All ones: a length above the bound.
  const std::array<std::byte, 4> above{std::byte{0xff}, std::byte{0xff}, std::byte{0xff},
                                       std::byte{0xff}};
  BOOST_TEST((Schema::decode(above, v) == Error::length_out_of_range));
  BOOST_TEST(AllocationLog::count == 0u);
  BOOST_TEST(v.capacity() == 0u);
  // A genuine 3-element vector allocates exactly 3 bytes.
  Huge three;
  three.push_back(1);
  three.push_back(2);
  three.push_back(3);
  std::array<std::byte, 16> out{};
  const auto encoded = Schema::encode(three, out);
  BOOST_TEST_REQUIRE(!encoded.error);
  AllocationLog::largest = 0;
  BOOST_TEST(!Schema::decode(std::span(out.data(), encoded.size), v));
  BOOST_TEST((v == three));
  BOOST_TEST(AllocationLog::largest == 3u);
}

BOOST_AUTO_TEST_CASE(elements_with_no_minimum_size_are_bounded_by_n_alone) {
  using Zero = courier::Ranged<int, 4, 4>;  // 0 bits in BitPacked
  courier::BoundedVector<Zero, 5> v;
  // 3-bit length 5, then nothing: five zero-bit elements.
  BOOST_TEST(!courier::BitPacked::decode(std::array{std::byte{5}}, v));
  BOOST_TEST(v.size() == 5u);
  BOOST_TEST(v[4] == 4);
  BOOST_TEST((courier::BitPacked::decode(std::array{std::byte{6}}, v) == Error::length_out_of_range));
}

BOOST_AUTO_TEST_CASE(vectors_of_bool_round_trip) {
  courier::BoundedVector<bool, 10> bits{true, false, true, true};
  std::array<std::byte, 4> out{};
  const auto encoded = courier::BitPacked::encode(bits, out);
  BOOST_TEST(encoded.size == 1u);  // 4 + 4 bits
  courier::BoundedVector<bool, 10> back;
  BOOST_TEST(!courier::BitPacked::decode(std::span(out.data(), encoded.size), back));
  BOOST_TEST((back == bits));
}

BOOST_AUTO_TEST_SUITE_END()
