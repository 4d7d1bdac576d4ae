#include <courier/transport/address.hpp>

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <unordered_set>

namespace bdata = boost::unit_test::data;
using courier::Address;

BOOST_AUTO_TEST_SUITE(address_test)

BOOST_AUTO_TEST_CASE(default_is_none_and_prints_none) {
  const Address a;
  BOOST_TEST(a.is_none());
  BOOST_TEST(a.port() == 0);
  BOOST_TEST(a.to_string() == "none");
  BOOST_TEST(!(a == Address::ipv4(0, 0, 0, 0, 0)));
}

BOOST_AUTO_TEST_CASE(ipv4_parses_to_its_parts) {
  const auto a = Address::parse("192.168.1.20:40000");
  BOOST_REQUIRE(a.has_value());
  BOOST_TEST(a->is_ipv4());
  BOOST_TEST(a->port() == 40000);
  BOOST_TEST((*a == Address::ipv4(192, 168, 1, 20, 40000)));
  BOOST_TEST(a->bytes()[0] == 192);
  BOOST_TEST(a->bytes()[3] == 20);
}

BOOST_AUTO_TEST_CASE(ipv6_parses_to_its_groups) {
  const auto a = Address::parse("[2001:db8::1]:443");
  BOOST_REQUIRE(a.has_value());
  BOOST_TEST(a->is_ipv6());
  BOOST_TEST(a->port() == 443);
  BOOST_TEST((*a == Address::ipv6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}, 443)));
  BOOST_TEST(a->ipv6_group(0) == 0x2001);
  BOOST_TEST(a->ipv6_group(7) == 1);
}

// Text that must print back exactly as written (already in canonical form).
BOOST_DATA_TEST_CASE(canonical_text_round_trips,
                     bdata::make({"127.0.0.1:0", "0.0.0.0:65535", "255.255.255.255:1", "10.0.0.1:40000",
                                  "[::1]:40000", "[::]:0", "[2001:db8::1]:80", "[fe80::1:2:3:4]:9",
                                  "[2001:db8:1:2:3:4:5:6]:65535", "[::ffff:1.2.3.4]:7"}),
                     text) {
  const auto a = Address::parse(text);
  BOOST_REQUIRE_MESSAGE(a.has_value(), text);
  BOOST_TEST(a->to_string() == std::string(text));
  BOOST_TEST((Address::parse(a->to_string()) == a));
}

BOOST_AUTO_TEST_CASE(non_canonical_ipv6_prints_compressed) {
  BOOST_TEST(Address::parse("[2001:0db8:0000:0000:0000:0000:0000:0001]:80")->to_string() ==
             "[2001:db8::1]:80");
  BOOST_TEST(Address::parse("[0:0:0:0:0:0:0:1]:5")->to_string() == "[::1]:5");
  BOOST_TEST(Address::parse("[2001:DB8::A]:5")->to_string() == "[2001:db8::a]:5");
  // RFC 5952: the longest zero run is compressed, a single zero group is not.
  BOOST_TEST(Address::parse("[1:0:0:2:0:0:0:3]:5")->to_string() == "[1:0:0:2::3]:5");
  BOOST_TEST(Address::parse("[1:0:2:3:4:5:6:7]:5")->to_string() == "[1:0:2:3:4:5:6:7]:5");
}

BOOST_AUTO_TEST_CASE(bare_hosts_parse_with_port_zero) {
  BOOST_TEST((Address::parse("10.1.2.3") == Address::ipv4(10, 1, 2, 3, 0)));
  BOOST_TEST((Address::parse("::1") == Address::ipv6({0, 0, 0, 0, 0, 0, 0, 1}, 0)));
  BOOST_TEST((Address::parse("[::1]") == Address::ipv6({0, 0, 0, 0, 0, 0, 0, 1}, 0)));
}

BOOST_DATA_TEST_CASE(bad_input_is_rejected,
                     bdata::make({"", "garbage", "[::1:80", "::1]:80", "[::1]80", "[::1]:",
                                  "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:99999", "1.2.3.4:123456",
                                  "1.2.3.4:-1", "1.2.3.4:8a", "1.2.3.256:80", "1.2.3:80",
                                  "1.2.3.4.5:80", "[1.2.3.4]:80", "[]:80", "[::g]:80",
                                  "1:2:3:4:5:6:7:8:9", "[::1]:80:80", "localhost:80", " 1.2.3.4:80",
                                  "1.2.3.4:80 ", "[fe80::1%eth0]:80"}),
                     text) {
  BOOST_TEST_INFO("input: '" << text << "'");
  BOOST_TEST(!Address::parse(text).has_value());
}

BOOST_AUTO_TEST_CASE(an_overlong_host_is_rejected_without_overflow) {
  const std::string long_host = "[" + std::string(200, '1') + "]:80";
  BOOST_TEST(!Address::parse(long_host).has_value());
}

BOOST_AUTO_TEST_CASE(equality_covers_family_port_and_bytes) {
  const auto v4 = Address::ipv4(127, 0, 0, 1, 80);
  BOOST_TEST((v4 == Address::ipv4(127, 0, 0, 1, 80)));
  BOOST_TEST(!(v4 == Address::ipv4(127, 0, 0, 1, 81)));
  BOOST_TEST(!(v4 == Address::ipv4(127, 0, 0, 2, 80)));
  BOOST_TEST(!(v4 == *Address::parse("[::ffff:127.0.0.1]:80")));  // another family
}

BOOST_AUTO_TEST_CASE(hash_agrees_with_equality_and_spreads) {
  const std::hash<Address> hash;
  const auto a = Address::ipv4(127, 0, 0, 1, 80);
  BOOST_TEST(hash(a) == hash(*Address::parse("127.0.0.1:80")));
  BOOST_TEST(hash(a) != hash(Address::ipv4(127, 0, 0, 1, 81)));
  BOOST_TEST(hash(a) != hash(Address::ipv4(127, 0, 0, 2, 80)));
  BOOST_TEST(hash(*Address::parse("[::1]:80")) != hash(*Address::parse("[::2]:80")));

  std::unordered_set<Address> set;
  for (std::uint16_t port = 1; port <= 1000; ++port) {
    set.insert(Address::ipv4(127, 0, 0, 1, port));
    set.insert(Address::ipv6({0, 0, 0, 0, 0, 0, 0, 1}, port));
  }
  set.insert(Address::ipv4(127, 0, 0, 1, 1));  // already there
  BOOST_TEST(set.size() == 2000u);
  std::unordered_set<std::size_t> hashes;
  for (const auto& address : set) hashes.insert(hash(address));
  BOOST_TEST(hashes.size() == 2000u);  // FNV-1a separates these 2000 addresses
}

BOOST_AUTO_TEST_CASE(set_port_changes_only_the_port) {
  auto a = Address::ipv4(1, 2, 3, 4, 5);
  a.set_port(6);
  BOOST_TEST((a == Address::ipv4(1, 2, 3, 4, 6)));
}

// The link kind (datagram, ws, wss) is part of an address's identity: a UDP peer and a TCP peer
// at the same ip:port are two peers.
BOOST_AUTO_TEST_CASE(link_kind_separates_udp_and_websocket_peers) {
  const auto udp = Address::ipv4(1, 2, 3, 4, 5);
  const auto ws = udp.with_link(Address::Link::websocket);
  const auto wss = udp.with_link(Address::Link::websocket_secure);
  BOOST_TEST((udp.link() == Address::Link::datagram));
  BOOST_TEST(!udp.is_websocket());
  BOOST_TEST(ws.is_websocket());
  BOOST_TEST(!(udp == ws));
  BOOST_TEST(!(ws == wss));
  BOOST_TEST((ws.with_link(Address::Link::datagram) == udp));
  BOOST_TEST(((udp < ws) != (ws < udp)));
  BOOST_TEST((ws < wss || wss < ws));
  const std::hash<Address> hash;
  BOOST_TEST(hash(udp) != hash(ws));
  BOOST_TEST(hash(ws) != hash(wss));
  std::unordered_set<Address> set{udp, ws, wss, udp};
  BOOST_TEST(set.size() == 3u);
}

BOOST_DATA_TEST_CASE(websocket_text_round_trips,
                     bdata::make({"ws://1.2.3.4:5", "wss://[::1]:5", "ws://[2001:db8::1]:80", "wss://127.0.0.1:443"}),
                     text) {
  const auto a = Address::parse(text);
  BOOST_REQUIRE_MESSAGE(a.has_value(), text);
  BOOST_TEST(a->is_websocket());
  BOOST_TEST(a->to_string() == std::string(text));
  BOOST_TEST((Address::parse(a->to_string()) == a));
}

BOOST_AUTO_TEST_CASE(websocket_schemes_name_their_link) {
  BOOST_TEST((Address::parse("ws://1.2.3.4:5")->link() == Address::Link::websocket));
  BOOST_TEST((Address::parse("wss://1.2.3.4:5/")->link() == Address::Link::websocket_secure));
  BOOST_TEST((Address::parse("1.2.3.4:5")->link() == Address::Link::datagram));
  BOOST_TEST((*Address::parse("ws://[::1]:9") == Address::parse("[::1]:9")->with_link(Address::Link::websocket)));
  BOOST_TEST(!Address::parse("http://1.2.3.4:5").has_value());
  BOOST_TEST(!Address::parse("ws://").has_value());
  BOOST_TEST(!Address::parse("ws://1.2.3.4:5/path").has_value());
  BOOST_TEST(!Address::parse("wss:/1.2.3.4:5").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
