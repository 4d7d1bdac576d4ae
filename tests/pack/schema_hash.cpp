// The schema hash: what it covers (message layouts, bounds, positions, the connect message) and
// what it deliberately leaves out (type and field names, priorities, transport and crypto).
#include <courier/pack.hpp>
#include <courier/crypto/plaintext.hpp>
#include <courier/schema/byte_aligned.hpp>
#include <courier/transport/loopback.hpp>

#include <array>
#include <cstdint>
#include <optional>

#include <boost/test/unit_test.hpp>

#include "schema/schemas.hpp"
#include "support/fake_policies.hpp"

namespace {

using courier::BoundedString;
using courier::BoundedVector;
using courier::Quantized;
using courier::Ranged;
using courier::detail::layout_hash;
using schema_samples::Schemas;

template <class T>
constexpr std::uint64_t layout = layout_hash<T>();

// Two versions of one protocol, the same struct names in two namespaces: the type names differ
// only by namespace, so the tests below that compare packs show what the layout adds.
namespace v1 {
struct Score { std::uint16_t points; std::uint8_t lives; };
struct Player { std::uint32_t id; BoundedString<16> name; };
struct Aim { Ranged<int, 0, 100> angle; };
struct Speed { Quantized<0, 10, 8> value; };
struct Say { BoundedString<16> text; };
}  // namespace v1
namespace v2 {
struct Score { std::uint8_t lives; std::uint16_t points; };   // field order swapped
struct Player { std::uint32_t key; BoundedString<16> label; };  // fields renamed
struct Aim { Ranged<int, 0, 101> angle; };                      // one bound moved
struct Speed { Quantized<0, 10, 7> value; };                    // one bit fewer
struct Say { BoundedString<17> text; };                         // one more byte
}  // namespace v2
struct Avatar { std::uint32_t player; BoundedString<16> nick; };  // Player under another name

template <class Msg, class Schema = courier::BitPacked>
using PackOf = courier::WithSchema<
    courier::ChannelPack<courier::Version<"v">, courier::Channel<"a", courier::ReliableOrdered, Msg>>,
    Schema>;

enum class Kind : std::uint8_t { a, b };

struct Point { std::int32_t x, y; };
struct Nested { Point at; std::int32_t z; };
struct Flat { std::int32_t x, y, z; };

// The serialize example of schema/detail/stream.hpp, and the aggregate with the same wire.
struct Shot {
  std::uint32_t shooter = 0;
  int angle = 0;
  float power = 0;
  template <class Stream>
  constexpr void serialize(Stream& s) {
    s(shooter);
    s.template ranged<0, 359>(angle);
    s.template quantized<0, 1, 8>(power);
  }
};
struct ShotFields {
  std::uint32_t shooter;
  Ranged<std::int16_t, 0, 359> angle;  // the bounds are recorded, not the integer type
  Quantized<0, 1, 8> power;
};
struct WideShot {
  std::uint32_t shooter = 0;
  int angle = 0;
  float power = 0;
  template <class Stream>
  constexpr void serialize(Stream& s) {
    s(shooter);
    s.template ranged<0, 360>(angle);
    s.template quantized<0, 1, 8>(power);
  }
};
// A double quantized by serialize: the same wire as a Quantized field.
struct QuantizedDouble {
  double v = 0;
  template <class Stream>
  constexpr void serialize(Stream& s) { s.template quantized<0, 10, 8>(v); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_hash_test)

BOOST_AUTO_TEST_CASE_TEMPLATE(field_order_changes_the_hash_at_equal_size, Schema, Schemas) {
  static_assert(Schema::template max_bytes<v1::Score> == Schema::template max_bytes<v2::Score>);
  BOOST_TEST(layout<v1::Score> != layout<v2::Score>);
  BOOST_TEST((PackOf<v1::Score, Schema>::schema_hash != PackOf<v2::Score, Schema>::schema_hash));
}

BOOST_AUTO_TEST_CASE(field_types_of_equal_size_differ) {
  struct I16 { std::int16_t v; };
  struct U16 { std::uint16_t v; };
  struct F32 { float v; };
  struct U32 { std::uint32_t v; };
  struct I32 { std::int32_t v; };
  struct Bool { bool v; };
  struct Bit { Ranged<std::uint8_t, 0, 1> v; };
  struct U8 { std::uint8_t v; };
  struct Char { char v; };
  BOOST_TEST(layout<I16> != layout<U16>);
  BOOST_TEST(layout<F32> != layout<U32>);
  BOOST_TEST(layout<F32> != layout<I32>);
  BOOST_TEST(layout<U32> != layout<I32>);
  BOOST_TEST(layout<Bool> != layout<Bit>);
  BOOST_TEST(layout<Char> != layout<U8>);
  BOOST_TEST(PackOf<I16>::schema_hash != PackOf<U16>::schema_hash);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(field_and_type_names_are_not_hashed, Schema, Schemas) {
  // Decision: ids are positions, names are not on the wire, and compilers spell type names
  // differently; so renaming a field, a struct or its namespace keeps the protocol.
  static_assert(layout<v1::Player> == layout<v2::Player>);
  static_assert(layout<v1::Player> == layout<Avatar>);
  static_assert(PackOf<v1::Player, Schema>::schema_hash == PackOf<v2::Player, Schema>::schema_hash);
  static_assert(PackOf<v1::Player, Schema>::schema_hash == PackOf<Avatar, Schema>::schema_hash);
  BOOST_TEST((PackOf<v1::Player, Schema>::schema_hash == PackOf<Avatar, Schema>::schema_hash));
}

BOOST_AUTO_TEST_CASE(bounds_change_the_hash_at_equal_size) {
  // Each pair encodes to the same worst-case size under BitPacked: only the bounds differ.
  static_assert(courier::BitPacked::max_bytes<v1::Aim> == courier::BitPacked::max_bytes<v2::Aim>);
  static_assert(courier::BitPacked::max_bytes<v1::Speed> == courier::BitPacked::max_bytes<v2::Speed>);
  BOOST_TEST(PackOf<v1::Aim>::schema_hash != PackOf<v2::Aim>::schema_hash);
  BOOST_TEST(PackOf<v1::Speed>::schema_hash != PackOf<v2::Speed>::schema_hash);
  BOOST_TEST(PackOf<v1::Say>::schema_hash != PackOf<v2::Say>::schema_hash);

  struct R0 { Ranged<int, 0, 100> v; };
  struct R1 { Ranged<int, 1, 101> v; };
  struct R2 { Ranged<int, -1, 100> v; };
  BOOST_TEST(layout<R0> != layout<R1>);
  BOOST_TEST(layout<R0> != layout<R2>);
  struct Q0 { Quantized<0, 1, 8> v; };
  struct Q1 { Quantized<0, 2, 8> v; };
  struct Q2 { Quantized<-1, 1, 8> v; };
  struct Q3 { Quantized<0, 1, 9> v; };
  BOOST_TEST(layout<Q0> != layout<Q1>);
  BOOST_TEST(layout<Q0> != layout<Q2>);
  BOOST_TEST(layout<Q0> != layout<Q3>);
  struct V4 { BoundedVector<std::uint8_t, 4> v; };
  struct V5 { BoundedVector<std::uint8_t, 5> v; };
  struct V4s { BoundedVector<std::int8_t, 4> v; };
  BOOST_TEST(layout<V4> != layout<V5>);
  BOOST_TEST(layout<V4> != layout<V4s>);
  struct A4 { std::array<std::uint8_t, 4> v; };
  struct A5 { std::array<std::uint8_t, 5> v; };
  BOOST_TEST(layout<A4> != layout<A5>);
  BOOST_TEST(layout<A4> != layout<V4>);
}

BOOST_AUTO_TEST_CASE(equal_wire_means_equal_layout) {
  // Ranged records its bounds, not the integer type holding them; an enum is its underlying
  // integer; grouping fields into a nested struct changes no byte.
  struct RangedInt { Ranged<int, 0, 100> v; };
  struct RangedByte { Ranged<std::uint8_t, 0, 100> v; };
  static_assert(layout<RangedInt> == layout<RangedByte>);
  struct WithEnum { Kind k; };
  struct WithByte { std::uint8_t k; };
  static_assert(layout<WithEnum> == layout<WithByte>);
  static_assert(layout<Nested> == layout<Flat>);
  static_assert(layout<QuantizedDouble> == layout<v1::Speed>);
  BOOST_TEST(layout<Nested> == layout<Flat>);
}

BOOST_AUTO_TEST_CASE(serialize_functions_are_walked) {
  static_assert(layout<Shot> == layout<ShotFields>);
  BOOST_TEST(layout<Shot> != layout<WideShot>);
  static_assert(courier::BitPacked::max_bytes<Shot> == courier::BitPacked::max_bytes<WideShot>);
  BOOST_TEST(PackOf<Shot>::schema_hash != PackOf<WideShot>::schema_hash);
}

BOOST_AUTO_TEST_CASE(container_elements_are_delimited) {
  // The same leaf fields, grouped differently by containers, are different wire formats.
  struct OptionalPoint { std::optional<Point> p; std::int32_t z; };
  struct OptionalX { std::optional<std::int32_t> x; std::int32_t y, z; };
  BOOST_TEST(layout<OptionalPoint> != layout<OptionalX>);
  struct VectorOfArrays { BoundedVector<std::array<std::uint8_t, 2>, 3> v; };
  struct ArrayOfVectors { std::array<BoundedVector<std::uint8_t, 3>, 2> v; };
  BOOST_TEST(layout<VectorOfArrays> != layout<ArrayOfVectors>);
  struct TwoVectors { BoundedVector<Point, 2> a; BoundedVector<std::int32_t, 2> b; };
  struct TwoVectorsSplit { BoundedVector<std::int32_t, 2> a; BoundedVector<Point, 2> b; };
  BOOST_TEST(layout<TwoVectors> != layout<TwoVectorsSplit>);
  struct Empty {};
  struct OptionalEmpty { std::optional<Empty> e; };
  struct OptionalBool { std::optional<bool> e; };
  BOOST_TEST(layout<OptionalEmpty> != layout<OptionalBool>);
}

BOOST_AUTO_TEST_CASE(positions_are_hashed) {
  using courier::Channel;
  using courier::ReliableOrdered;
  using courier::Version;
  using XY = courier::ChannelPack<Version<"v">, Channel<"a", ReliableOrdered, v1::Score, v1::Player>>;
  using YX = courier::ChannelPack<Version<"v">, Channel<"a", ReliableOrdered, v1::Player, v1::Score>>;
  using Split = courier::ChannelPack<Version<"v">, Channel<"a", ReliableOrdered, v1::Score>,
                                     Channel<"a", ReliableOrdered, v1::Player>>;
  using AsRequest = courier::ChannelPack<Version<"v">, courier::Request<v1::Score, v1::Player>>;
  BOOST_TEST(XY::schema_hash != YX::schema_hash);
  BOOST_TEST(XY::schema_hash != Split::schema_hash);
  BOOST_TEST(XY::schema_hash != AsRequest::schema_hash);
}

BOOST_AUTO_TEST_CASE(connect_message_is_hashed) {
  using courier::Channel;
  using courier::ConnectMessage;
  using courier::ReliableOrdered;
  using courier::Request;
  using courier::Version;
  using None = courier::ChannelPack<Version<"v">, Request<v1::Player, v1::Score>>;
  using WithPlayer = courier::ChannelPack<Version<"v">, Request<v1::Player, v1::Score>,
                                          ConnectMessage<v1::Player>>;
  using WithSay = courier::ChannelPack<Version<"v">, Request<v1::Player, v1::Score>,
                                       ConnectMessage<v1::Say>>;
  BOOST_TEST(None::schema_hash != WithPlayer::schema_hash);
  BOOST_TEST(WithPlayer::schema_hash != WithSay::schema_hash);
}

BOOST_AUTO_TEST_CASE(priority_transport_and_crypto_are_not_hashed) {
  using courier::Channel;
  using courier::ReliableOrdered;
  using courier::Version;
  using Plain = courier::ChannelPack<Version<"v">, Channel<"a", ReliableOrdered, v1::Score>>;
  using First = courier::ChannelPack<Version<"v">, Channel<"a", ReliableOrdered, v1::Score, courier::Priority<9>>>;
  using Local = courier::WithCrypto<courier::WithTransport<Plain, courier::Loopback>, courier::Plaintext>;
  static_assert(Plain::schema_hash == First::schema_hash);
  static_assert(Plain::schema_hash == Local::schema_hash);
  using Limited = courier::ChannelPack<Version<"v">,
                                       Channel<"a", ReliableOrdered, v1::Score, courier::MaxMessageBytes<64>>>;
  BOOST_TEST(Plain::schema_hash != Limited::schema_hash);
}

BOOST_AUTO_TEST_CASE(foreign_schema_falls_back_to_type_name_and_size) {
  // SizeofSchema is no detail::Codec: courier cannot see its encoding, so each message is
  // recorded by its spelled type name (and worst-case size).
  using courier::detail::message_shape_hash;
  using courier::test::SizeofSchema;
  static_assert(courier::detail::FieldModelSchema<courier::BitPacked>);
  static_assert(courier::detail::FieldModelSchema<courier::ByteAligned>);
  static_assert(!courier::detail::FieldModelSchema<SizeofSchema>);
  static_assert(message_shape_hash<SizeofSchema, v1::Player>() ==
                courier::detail::fnv1a(courier::detail::type_name<v1::Player>()));
  static_assert(message_shape_hash<courier::BitPacked, v1::Player>() == layout<v1::Player>);
  using FakeV1 = courier::test::FakePack<courier::Version<"v">,
                                         courier::Channel<"a", courier::ReliableOrdered, v1::Player>>;
  using FakeV2 = courier::test::FakePack<courier::Version<"v">,
                                         courier::Channel<"a", courier::ReliableOrdered, v2::Player>>;
  BOOST_TEST(FakeV1::schema_hash != FakeV2::schema_hash);
}

BOOST_AUTO_TEST_CASE(hash_is_the_same_on_every_compiler) {
  // The example game pack. Its hash is its protocol id, so it must not depend on the
  // compiler (g++ and clang give this same value; type names, which they spell differently,
  // are not hashed) nor change by accident between courier versions: a different value here
  // means peers built before and after the change no longer connect. If that is intended,
  // update the constant and say so in the change log.
  struct Chat { BoundedString<256> text; };
  struct Move { std::int16_t x, y; std::uint8_t buttons; };
  struct Login { BoundedString<32> name; };
  struct Welcome { std::uint32_t player; };
  using Game = courier::ChannelPack<
      courier::Version<"my-game 1.4">,
      courier::Channel<"chat", courier::ReliableOrdered, Chat>,
      courier::Channel<"input", courier::UnreliableSequenced, Move>,
      courier::Request<Login, Welcome>,
      courier::ConnectMessage<Login>>;
  BOOST_TEST(Game::schema_hash == 0x883a62c38c3d306eull);
}

BOOST_AUTO_TEST_SUITE_END()
