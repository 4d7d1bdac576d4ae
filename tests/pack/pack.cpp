#include <courier/pack.hpp>
#include <courier/transport/loopback.hpp>
#include <courier/transport/simulated.hpp>
#include <courier/crypto/plaintext.hpp>
#include <courier/schema/byte_aligned.hpp>

#include <boost/test/unit_test.hpp>

namespace {

struct Chat { courier::BoundedString<256> text; };
struct Move { std::int16_t x, y; std::uint8_t buttons; };
struct Login { courier::BoundedString<32> name; };
struct Welcome { std::uint32_t player; };

// An example game pack, with courier's real default policies.
using Game = courier::ChannelPack<
    courier::Version<"my-game 1.4">,
    courier::Channel<"chat", courier::ReliableOrdered, Chat>,
    courier::Channel<"input", courier::UnreliableSequenced, Move>,
    courier::Request<Login, Welcome>,
    courier::ConnectMessage<Login>>;
using TestGame = courier::WithTransport<Game, courier::Simulated<courier::Loopback>>;

}  // namespace

BOOST_AUTO_TEST_SUITE(pack_test)

BOOST_AUTO_TEST_CASE(defaults_are_udp_netcode102_bitpacked) {
  static_assert(std::is_same_v<Game::transport, courier::Udp>);
  static_assert(std::is_same_v<Game::crypto, courier::Netcode102>);
  static_assert(std::is_same_v<Game::schema, courier::BitPacked>);
  BOOST_TEST(Game::protocol_id == Game::schema_hash);
}

BOOST_AUTO_TEST_CASE(swapping_the_transport_keeps_the_protocol_identity) {
  static_assert(std::is_same_v<TestGame::transport, courier::Simulated<courier::Loopback>>);
  static_assert(std::is_same_v<TestGame::crypto, courier::Netcode102>);
  static_assert(TestGame::schema_hash == Game::schema_hash);
  using Insecure = courier::WithCrypto<TestGame, courier::Plaintext>;
  static_assert(std::is_same_v<Insecure::crypto, courier::Plaintext>);
  static_assert(std::is_same_v<Insecure::transport, courier::Simulated<courier::Loopback>>);
  static_assert(Insecure::schema_hash == Game::schema_hash);
}

BOOST_AUTO_TEST_CASE(another_schema_is_another_protocol) {
  using Bytes = courier::WithSchema<Game, courier::ByteAligned>;
  static_assert(std::is_same_v<Bytes::schema, courier::ByteAligned>);
  BOOST_TEST(Bytes::schema_hash != Game::schema_hash);
}

BOOST_AUTO_TEST_SUITE_END()
