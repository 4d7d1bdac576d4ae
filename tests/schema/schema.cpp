#include <courier/schema/schema.hpp>

#include <courier/schema/bit_packed.hpp>
#include <courier/schema/byte_aligned.hpp>

#include <boost/test/unit_test.hpp>

static_assert(courier::Schema<courier::BitPacked>);
static_assert(courier::Schema<courier::ByteAligned>);
static_assert(courier::BitPacked::max_bytes<courier::detail::SchemaProbe> == 5);
static_assert(courier::ByteAligned::max_bytes<courier::detail::SchemaProbe> == 5);

namespace {
struct NotASchema {};
static_assert(!courier::Schema<NotASchema>);
}  // namespace

BOOST_AUTO_TEST_SUITE(schema_test)

BOOST_AUTO_TEST_CASE(encode_result_is_true_only_without_error) {
  courier::EncodeResult ok{12, {}};
  courier::EncodeResult failed{0, courier::Error::buffer_too_small};
  BOOST_TEST(static_cast<bool>(ok));
  BOOST_TEST(!failed);
}

BOOST_AUTO_TEST_SUITE_END()
