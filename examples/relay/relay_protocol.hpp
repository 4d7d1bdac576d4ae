#pragma once
// The relay example's protocol, shared by relay_server and relay_peer. Clients never learn each
// other's real IP address and port: the server gives each one a virtual address (100.64.x.y),
// answers "who is NAME?" with the virtual address of the client that said hello with that name,
// and carries the bytes of virtual sockets between two clients.
//
// Relay<> keeps the virtual addresses in memory (InMemoryAddressBook): a restarted server hands
// them out again from 100.64.0.1. To keep them across restarts and crashes, use the SQLite book
// (include <courier/relay/sqlite_address_book.hpp>, link courier::sqlite instead of
// courier::courier):
//
//     courier::Relay<courier::SqliteAddressBook>
//     ...
//     Server server(std::move(socket), config, courier::SqliteAddressBook("/var/lib/relay/addresses.db"));
//
// The book is not on the wire: both kinds of server talk to the same clients.

#include <courier/courier.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace relay {

inline constexpr std::size_t max_name = 24;
inline constexpr std::size_t max_text = 200;

/// The connect message: the name other clients look this one up by.
struct Hello {
  courier::BoundedString<max_name> name;
};

/// Request: which virtual address does the client called `name` have? Answered with Found.
struct Lookup {
  courier::BoundedString<max_name> name;
};

struct Found {
  bool ok = false;            ///< false: nobody of that name is connected
  std::uint32_t address = 0;  ///< courier::VirtualAddress::value when ok
};

/// What two peers say to each other over a virtual socket (Client::relay_send / relay_decode).
/// It never travels to the server as a message of its own: the "peer" channel is declared so
/// that the type is part of the pack (and of its schema hash), which relay_send requires.
struct Line {
  std::uint32_t seq = 0;
  courier::BoundedString<max_text> text;
};

using Pack = courier::ChannelPack<
    courier::Version<"courier relay example 1">,
    courier::Channel<"peer", courier::ReliableOrdered, Line>,
    courier::Request<Lookup, Found>,
    courier::ConnectMessage<Hello>,
    courier::Relay<>>;

/// The environment variable the programs read the shared private key from (64 hex digits)
/// when it is not given with --private-key: a key on a command line is visible in `ps`.
inline constexpr const char* key_variable = "COURIER_RELAY_PRIVATE_KEY";

/// The private key from `hex`, or from the environment when `hex` is empty.
[[nodiscard]] inline courier::Result<courier::Key> read_key(std::string_view hex) {
  const char* env = std::getenv(key_variable);
  return courier::Key::from_hex(!hex.empty() ? hex : env != nullptr ? env : "");
}

}  // namespace relay
