#pragma once
// A pack with the relay, for the relay tests.

#include "../typed/game_pack.hpp"

#include <courier/relay/frames.hpp>
#include <courier/relay/virtual_address.hpp>

#include <ostream>

namespace courier {
// Boost.Test prints these in failure messages.
inline std::ostream& operator<<(std::ostream& os, VirtualAddress a) { return os << a.to_string(); }
inline std::ostream& operator<<(std::ostream& os, RelayFailure f) { return os << describe(f); }
inline std::ostream& operator<<(std::ostream& os, RelayCloseReason r) { return os << describe(r); }
inline std::ostream& operator<<(std::ostream& os, RelayError e) { return os << "RelayError(" << static_cast<int>(e) << ")"; }
}  // namespace courier

namespace courier::test {

using RelayGame = ChannelPack<
    Version<"relay-test 1">,
    Channel<"chat", ReliableOrdered, Chat>,
    Request<Login, Welcome>,
    ConnectMessage<Login>,
    Relay<>,
    UseTransport<Simulated<Loopback>>>;

}  // namespace courier::test
