#include <courier/pack/channel_pack.hpp>

#include <boost/test/unit_test.hpp>

#include "support/fake_policies.hpp"

namespace {

struct Chat { char text[200]; };
struct Move { std::int16_t x, y; };
struct Login { char name[32]; };
struct Welcome { std::uint32_t player; };
struct Blob { char bytes[4000]; };

using courier::test::FakePack;

using Game = FakePack<
    courier::Version<"my-game 1.4">,
    courier::Channel<"chat", courier::ReliableOrdered, Chat>,
    courier::Channel<"input", courier::UnreliableSequenced, Move, courier::Priority<5>>,
    courier::Channel<"bulk", courier::ReliableUnordered, Blob, courier::MaxMessageBytes<8000>>,
    courier::Request<Login, Welcome>,
    courier::ConnectMessage<Login>>;

}  // namespace

BOOST_AUTO_TEST_SUITE(channel_pack_test)

BOOST_AUTO_TEST_CASE(pack_lists_its_channels_messages_and_policies) {
  static_assert(Game::channels::size == 3);
  static_assert(Game::requests::size == 1);
  static_assert(std::is_same_v<Game::all_messages,
                               courier::detail::TypeList<Chat, Move, Blob, Login, Welcome>>);
  static_assert(std::is_same_v<Game::transport, courier::test::NullTransport>);
  using Chan1 = courier::detail::element_t<Game::channels, 1>;
  static_assert(Chan1::name == "input");
  static_assert(Chan1::priority == 5);
  static_assert(Chan1::max_message_bytes == courier::detail::default_unreliable_message_bytes);
  static_assert(courier::detail::element_t<Game::channels, 2>::max_message_bytes == 8000);
  static_assert(courier::detail::element_t<Game::channels, 0>::max_message_bytes == 256 * 1024);
  BOOST_TEST(Game::protocol_id == Game::schema_hash);
}

BOOST_AUTO_TEST_CASE(schema_hash_changes_with_anything_on_the_wire) {
  using Base = FakePack<courier::Version<"v1">, courier::Channel<"a", courier::ReliableOrdered, Chat>>;
  using OtherVersion = FakePack<courier::Version<"v2">, courier::Channel<"a", courier::ReliableOrdered, Chat>>;
  using OtherMode = FakePack<courier::Version<"v1">, courier::Channel<"a", courier::Unreliable, Move>>;
  using OtherName = FakePack<courier::Version<"v1">, courier::Channel<"b", courier::ReliableOrdered, Chat>>;
  using OtherMessage = FakePack<courier::Version<"v1">, courier::Channel<"a", courier::ReliableOrdered, Move>>;
  using Same = FakePack<courier::Version<"v1">, courier::Channel<"a", courier::ReliableOrdered, Chat>>;
  static_assert(Base::schema_hash == Same::schema_hash);
  BOOST_TEST(Base::schema_hash != OtherVersion::schema_hash);
  BOOST_TEST(Base::schema_hash != OtherMode::schema_hash);
  BOOST_TEST(Base::schema_hash != OtherName::schema_hash);
  BOOST_TEST(Base::schema_hash != OtherMessage::schema_hash);
}

BOOST_AUTO_TEST_CASE(explicit_protocol_id_replaces_the_hash) {
  using Pinned = FakePack<courier::Version<"v1">, courier::ProtocolId<0x1122334455667788ull>,
                          courier::Channel<"a", courier::ReliableOrdered, Chat>>;
  static_assert(Pinned::protocol_id == 0x1122334455667788ull);
  BOOST_TEST(Pinned::schema_hash != Pinned::protocol_id);
}

BOOST_AUTO_TEST_SUITE_END()
