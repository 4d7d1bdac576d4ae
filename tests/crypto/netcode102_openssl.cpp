#include <courier/crypto/netcode102_openssl.hpp>
#include <courier/crypto/netcode102_openssl.hpp>
#include <courier/crypto/netcode102.hpp>
#include <courier/netcode/netcode_client.hpp>
#include <courier/netcode/netcode_server.hpp>

#include <boost/test/unit_test.hpp>

#include <array>
#include <thread>
#include <vector>

#include "netcode/harness.hpp"
#include "netcode/packet_vectors.hpp"

// Netcode102OpenSsl claims the netcode.io 1.02 wire with another implementation of its packet
// AEAD: every packet it writes must be the byte-for-byte twin of Netcode102's, each must open
// what the other sealed, and the reference vectors must hold with it.

static_assert(courier::Crypto<courier::Netcode102OpenSsl>);
static_assert(courier::Netcode102OpenSsl::mac_bytes == courier::Netcode102::mac_bytes);

namespace {

using courier::Netcode102;
using courier::Netcode102OpenSsl;
namespace nc = courier::netcode;
using namespace courier::test;

courier::Key key_of(std::uint8_t first) {
  courier::Key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(first * 3 + i);
  return k;
}

std::vector<std::byte> bytes(std::size_t n, unsigned seed) {
  std::vector<std::byte> m(n);
  for (std::size_t i = 0; i < n; ++i) m[i] = static_cast<std::byte>((i * 131 + seed * 17) & 0xFF);
  return m;
}

template <class C>
std::vector<std::byte> sealed_by(std::span<const std::byte> plain, std::span<const std::byte> ad,
                                 std::uint64_t sequence, const courier::Key& key) {
  std::vector<std::byte> out(plain.size() + C::mac_bytes);
  BOOST_REQUIRE(C::seal(plain, ad, sequence, key, out));
  return out;
}

// Every size a netcode packet body takes (0: disconnect and denied; 8: keep-alive; 308:
// challenge; up to 1200: payload), and sizes around the cipher's 64-byte block.
constexpr std::array<std::size_t, 14> sizes = {0, 1, 8, 15, 16, 63, 64, 65, 100, 308, 511, 1024, 1199, 1200};

}  // namespace

BOOST_AUTO_TEST_SUITE(netcode102_openssl_test)

BOOST_AUTO_TEST_CASE(it_is_available_where_openssl_3_runs) {
  BOOST_TEST(Netcode102OpenSsl::available());
}

BOOST_AUTO_TEST_CASE(seals_the_same_bytes_as_libsodium_and_opens_them_both_ways) {
  const std::array<std::byte, 13> ad_bytes = {std::byte{0x11}, std::byte{1}, std::byte{2}};
  unsigned seed = 0;
  for (const std::size_t size : sizes) {
    for (const std::uint64_t sequence : {0ull, 1ull, 0x0102030405060708ull, ~0ull}) {
      for (const std::size_t ad_size : {std::size_t{0}, std::size_t{13}}) {
        BOOST_TEST_CONTEXT("size " << size << ", sequence " << sequence << ", ad " << ad_size) {
          const auto plain = bytes(size, ++seed);
          const auto ad = std::span<const std::byte>(ad_bytes).first(ad_size);
          const auto key = key_of(static_cast<std::uint8_t>(seed));
          const auto ours = sealed_by<Netcode102OpenSsl>(plain, ad, sequence, key);
          const auto theirs = sealed_by<Netcode102>(plain, ad, sequence, key);
          BOOST_TEST(ours == theirs);
          std::vector<std::byte> opened(size);
          BOOST_TEST(Netcode102OpenSsl::open(theirs, ad, sequence, key, opened));
          BOOST_TEST(opened == plain);
          std::fill(opened.begin(), opened.end(), std::byte{0});
          BOOST_TEST(Netcode102::open(ours, ad, sequence, key, opened));
          BOOST_TEST(opened == plain);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(seals_and_opens_in_place) {
  const auto key = key_of(9);
  const auto plain = bytes(300, 4);
  const auto expected = sealed_by<Netcode102>(plain, {}, 77, key);
  std::vector<std::byte> buffer(plain.size() + Netcode102OpenSsl::mac_bytes);
  std::copy(plain.begin(), plain.end(), buffer.begin());
  const auto whole = std::span<std::byte>(buffer);
  BOOST_REQUIRE(Netcode102OpenSsl::seal(whole.first(plain.size()), {}, 77, key, whole));
  BOOST_TEST(buffer == expected);
  BOOST_REQUIRE(Netcode102OpenSsl::open(whole, {}, 77, key, whole.first(plain.size())));
  BOOST_TEST((std::vector<std::byte>(buffer.begin(), buffer.begin() + 300) == plain));
}

BOOST_AUTO_TEST_CASE(any_changed_bit_nonce_key_or_ad_is_refused_and_leaves_no_plaintext) {
  const auto key = key_of(5);
  const std::array<std::byte, 3> ad = {std::byte{1}, std::byte{2}, std::byte{3}};
  const auto plain = bytes(100, 8);
  const auto sealed = sealed_by<Netcode102OpenSsl>(plain, ad, 42, key);
  std::vector<std::byte> opened(plain.size(), std::byte{0x5A});
  const std::vector<std::byte> zeros(plain.size());
  BOOST_TEST(!Netcode102OpenSsl::open(sealed, ad, 43, key, opened));
  BOOST_TEST(opened == zeros);  // decrypted before the tag was checked, then wiped
  BOOST_TEST(!Netcode102OpenSsl::open(sealed, ad, 42, key_of(6), opened));
  BOOST_TEST(!Netcode102OpenSsl::open(sealed, std::span(ad).first(2), 42, key, opened));
  for (std::size_t bit = 0; bit < sealed.size() * 8; ++bit) {
    auto tampered = sealed;
    tampered[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
    std::fill(opened.begin(), opened.end(), std::byte{0x5A});
    BOOST_TEST_CONTEXT("bit " << bit) {
      BOOST_TEST(!Netcode102OpenSsl::open(tampered, ad, 42, key, opened));
      BOOST_TEST(opened == zeros);
    }
  }
  BOOST_TEST(Netcode102OpenSsl::open(sealed, ad, 42, key, opened));  // the contexts recovered
  BOOST_TEST(opened == plain);
}

BOOST_AUTO_TEST_CASE(wrong_sizes_and_partial_overlap_are_refused) {
  const auto key = key_of(1);
  std::vector<std::byte> buffer(200);
  const auto whole = std::span<std::byte>(buffer);
  BOOST_TEST(!Netcode102OpenSsl::seal(whole.first(50), {}, 1, key, whole.subspan(10, 66)));  // overlaps
  BOOST_TEST(!Netcode102OpenSsl::seal(whole.first(50), {}, 1, key, whole.subspan(100, 65)));  // short
  BOOST_TEST(!Netcode102OpenSsl::open(whole.first(15), {}, 1, key, whole.subspan(100, 0)));  // under a tag
  BOOST_TEST(!Netcode102OpenSsl::open(whole.first(66), {}, 1, key, whole.subspan(100, 51)));
}

BOOST_AUTO_TEST_CASE(tokens_are_libsodium_s_and_open_either_way) {
  const auto key = key_of(2);
  courier::TokenNonce nonce{};
  nonce[3] = 9;
  const auto plain = bytes(1008 - Netcode102::mac_bytes, 3);
  const std::array<std::byte, 4> ad = {std::byte{4}};
  std::vector<std::byte> ours(1008);
  std::vector<std::byte> theirs(1008);
  BOOST_REQUIRE(Netcode102OpenSsl::seal_token(plain, ad, nonce, key, ours));
  BOOST_REQUIRE(Netcode102::seal_token(plain, ad, nonce, key, theirs));
  BOOST_TEST(ours == theirs);
  std::vector<std::byte> opened(plain.size());
  BOOST_TEST(Netcode102OpenSsl::open_token(theirs, ad, nonce, key, opened));
  BOOST_TEST(opened == plain);
}

BOOST_AUTO_TEST_CASE(threads_seal_with_their_own_contexts) {
  const auto key = key_of(7);
  std::array<bool, 4> same{};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < same.size(); ++t) {
    threads.emplace_back([&, t] {
      bool all = true;
      for (std::uint64_t sequence = 0; sequence < 500; ++sequence) {
        const auto plain = bytes(64 + t * 100, static_cast<unsigned>(sequence));
        std::vector<std::byte> ours(plain.size() + 16);
        std::vector<std::byte> theirs(plain.size() + 16);
        all = all && Netcode102OpenSsl::seal(plain, {}, sequence, key, ours) &&
              Netcode102::seal(plain, {}, sequence, key, theirs) && ours == theirs;
      }
      same[t] = all;
    });
  }
  for (auto& t : threads) t.join();
  for (const bool s : same) BOOST_TEST(s);
}

BOOST_AUTO_TEST_CASE(writes_and_reads_every_reference_packet_vector) {
  const auto file = load_vectors("packets.json");
  const auto vectors = items(file, "vectors");
  BOOST_TEST(vectors.size() == 50u);
  for (const auto& v : vectors) {
    BOOST_TEST_CONTEXT(v.get<std::string>("name")) {
      const auto wire = hex_at(v, "wire");
      BOOST_TEST(write_vector<Netcode102OpenSsl>(v) == wire);
      check_read<Netcode102OpenSsl>(v, wire);
    }
  }
}

// The wire is the same, so a client on one implementation connects to a server on the other
// and payloads flow both ways.
BOOST_AUTO_TEST_CASE(an_openssl_client_and_a_libsodium_server_interoperate) {
  World world;
  nc::NetcodeServer<courier::Loopback, Netcode102> server(courier::Loopback(world.network, test_server_address),
                                                          server_config(test_server_address));
  nc::NetcodeClient<courier::Loopback, Netcode102OpenSsl> client(courier::Loopback(world.network, test_client_address));
  world.add_server(server);
  world.add_client(client);
  BOOST_REQUIRE(!client.connect(make_token(1, {test_server_address}, world.clock.unix_now()), world.clock.now()));
  BOOST_REQUIRE(world.run_until([&] { return client.connected(); }));
  const auto up = bytes(1000, 1);
  const auto down = bytes(1200, 2);
  BOOST_REQUIRE(!client.send(up));
  BOOST_REQUIRE(!server.send(client.client_index(), down));
  world.step();
  world.step();
  const auto at_server = server.receive();
  BOOST_REQUIRE(at_server.has_value());
  BOOST_TEST(to_vector(at_server->bytes) == up);
  const auto at_client = client.receive();
  BOOST_REQUIRE(at_client.has_value());
  BOOST_TEST(to_vector(at_client->bytes) == down);
  BOOST_TEST(server.stats().drops.total() == 0u);
  BOOST_TEST(client.stats().drops.total() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
