// expect-error: Server::send: this type is not a message of the pack's channels
// Server::send compiles only for a message of the pack's channels, never for a type the pack
// does not list.
#include <courier/pack.hpp>
#include <courier/typed/server.hpp>

struct Chat { std::uint32_t text; };
struct Foreign { std::uint32_t x; };
using Pack = courier::ChannelPack<courier::Version<"v">, courier::Channel<"chat", courier::ReliableOrdered, Chat>>;

void tell(courier::Server<Pack>& server, courier::ClientHandle client) {
#ifdef COURIER_COMPILE_FAIL_CONTROL
  (void)server.send(client, Chat{1});
#else
  (void)server.send(client, Foreign{1});
#endif
}
int main() { return 0; }
