#pragma once
// The pack most typed tests use: one channel per reliability mode, a request pair with a
// second one for acknowledgements, and a connect message.

#include <courier/pack.hpp>
#include <courier/schema/bounded_string.hpp>
#include <courier/transport/loopback.hpp>
#include <courier/transport/simulated.hpp>

namespace courier::test {

struct Chat { BoundedString<64> text; };
struct Note { std::uint32_t n; };
struct Move { std::int16_t x, y; };
struct Ping { std::uint32_t n; };
struct Login { BoundedString<16> name; };
struct Welcome { std::uint32_t player; };
struct Save { std::uint32_t slot; };
struct Saved { bool ok; };

using Game = ChannelPack<
    Version<"typed-test 1">,
    Channel<"chat", ReliableOrdered, Chat>,
    Channel<"notes", ReliableUnordered, Note>,
    Channel<"input", UnreliableSequenced, Move>,
    Channel<"ping", Unreliable, Ping>,
    Request<Login, Welcome>,
    Request<Save, Saved>,
    ConnectMessage<Login>,
    UseTransport<Simulated<Loopback>>>;

}  // namespace courier::test
