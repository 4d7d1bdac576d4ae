// A server restart with SqliteAddressBook keeps every client's virtual address; and the relay
// over real UDP on 127.0.0.1.

#include "../typed/harness.hpp"
#include "relay_pack.hpp"
#include "temp_dir.hpp"

#include <courier/core/steady_clock.hpp>
#include <courier/relay/sqlite_address_book.hpp>
#include <courier/transport/udp.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

namespace {

using namespace courier;
using namespace courier::test;

using SqliteGame = ChannelPack<Version<"relay-test 1">, Channel<"chat", ReliableOrdered, Chat>,
                               Request<Login, Welcome>, ConnectMessage<Login>, Relay<SqliteAddressBook>,
                               UseTransport<Simulated<Loopback>>>;


/// Connects clients 0..n-1 (ids 500+i) to a fresh server on `w`, returns their addresses.
std::map<std::uint64_t, VirtualAddress> connect_all(World<SqliteGame>& w, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    auto& c = w.add_client();
    BOOST_REQUIRE(!c.connect(w.token(500 + i), Login{"c"}));
  }
  BOOST_REQUIRE(w.run_until([&] {
    for (auto& c : w.clients)
      if (!c->relay().address()) return false;
    return true;
  }));
  std::map<std::uint64_t, VirtualAddress> out;
  for (std::size_t i = 0; i < n; ++i) out[500 + i] = *w.clients[i]->relay().address();
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(restart_test)

BOOST_AUTO_TEST_CASE(a_restarted_server_keeps_every_virtual_address) {
  static_assert(std::is_same_v<Server<SqliteGame>::AddressBookType, SqliteAddressBook>);
  TempDir dir;
  const std::string db = dir.file("addresses.db");
  std::map<std::uint64_t, VirtualAddress> first;
  {
    World<SqliteGame> w(World<SqliteGame>::default_server_config(), {}, SqliteAddressBook(db));
    first = connect_all(w, 5);
  }  // the server process "exits"
  World<SqliteGame> w(World<SqliteGame>::default_server_config(), {}, SqliteAddressBook(db));
  // Connect in the opposite order, so a fresh book would hand out other addresses.
  for (std::size_t k = 0; k < 5; ++k) {
    auto& c = w.add_client();
    BOOST_REQUIRE(!c.connect(w.token(504 - k), Login{"c"}));
  }
  BOOST_REQUIRE(w.run_until([&] {
    for (auto& c : w.clients)
      if (!c->relay().address()) return false;
    return true;
  }));
  for (std::size_t k = 0; k < 5; ++k) BOOST_TEST(*w.clients[k]->relay().address() == first[504 - k]);
  BOOST_TEST(w.server->address_book().size() == 5u);
}

BOOST_AUTO_TEST_SUITE_END()
