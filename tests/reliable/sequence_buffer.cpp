#include <courier/reliable/sequence.hpp>
#include <courier/reliable/sequence_buffer.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>

BOOST_AUTO_TEST_SUITE(sequence_buffer_test)

BOOST_AUTO_TEST_CASE(sequence_comparison_wraps) {
  using courier::sequence_greater_than;
  BOOST_TEST(sequence_greater_than(1, 0));
  BOOST_TEST(sequence_greater_than(0, 65535));
  BOOST_TEST(!sequence_greater_than(65535, 0));
  BOOST_TEST(sequence_greater_than(100, 65500));
  BOOST_TEST(!sequence_greater_than(5, 5));
  BOOST_TEST(courier::sequence_less_than(65535, 3));
  BOOST_TEST(courier::sequence_distance(2, 65534) == 4u);
}

BOOST_AUTO_TEST_CASE(capacity_must_be_a_power_of_two) {
  BOOST_CHECK_THROW(courier::SequenceBuffer<int>(100), std::invalid_argument);
  BOOST_CHECK_THROW(courier::SequenceBuffer<int>(65536), std::invalid_argument);
  BOOST_CHECK_NO_THROW(courier::SequenceBuffer<int>(256));
}

BOOST_AUTO_TEST_CASE(insert_find_and_too_old_across_the_wrap) {
  courier::SequenceBuffer<int> buf(16);
  std::uint16_t seq = 65530;
  for (int i = 0; i < 20; ++i, ++seq) *buf.insert(seq) = i;
  // the last 16 inserted are findable, the older ones are not
  BOOST_TEST(buf.newest() == static_cast<std::uint16_t>(65530 + 19));
  BOOST_TEST(*buf.find(static_cast<std::uint16_t>(65530 + 19)) == 19);
  BOOST_TEST(*buf.find(static_cast<std::uint16_t>(65530 + 4)) == 4);
  BOOST_TEST(!buf.exists(static_cast<std::uint16_t>(65530 + 3)));
  BOOST_TEST(buf.too_old(static_cast<std::uint16_t>(65530 + 3)));
  BOOST_TEST(buf.insert(static_cast<std::uint16_t>(65530 + 3)) == nullptr);
}

BOOST_AUTO_TEST_CASE(a_jump_clears_the_skipped_slots) {
  courier::SequenceBuffer<int> buf(8);
  for (std::uint16_t s = 0; s < 8; ++s) buf.insert(s);
  buf.insert(12);  // 9, 10, 11 skipped; 8 was never inserted
  for (std::uint16_t s : {8, 9, 10, 11}) BOOST_TEST(!buf.exists(s));
  BOOST_TEST(buf.exists(7));
  BOOST_TEST(buf.exists(5));
  BOOST_TEST(!buf.exists(4));  // shares a slot with 12
  // a sequence exactly 65 536 later never matches an old tag
  courier::SequenceBuffer<int> wrap(8);
  wrap.insert(3);
  for (std::uint32_t s = 4; s < 65536 + 3; s += 50) wrap.insert(static_cast<std::uint16_t>(s));
  wrap.insert(static_cast<std::uint16_t>(65536 + 1));
  BOOST_TEST(!wrap.exists(3));
}

BOOST_AUTO_TEST_SUITE_END()
