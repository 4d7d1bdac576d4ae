// expect-error: Server::send: this message's channel is ClientToServer; only clients send it
// A channel declared ClientToServer carries messages from clients only: the server cannot send
// them (and its clients' events never hold them).
#include <courier/pack.hpp>
#include <courier/typed/server.hpp>

struct Input { std::uint32_t buttons; };
struct Chat { std::uint32_t text; };
using Pack = courier::ChannelPack<courier::Version<"v">,
                                  courier::Channel<"input", courier::Unreliable, Input, courier::ClientToServer>,
                                  courier::Channel<"chat", courier::ReliableOrdered, Chat>>;

void tell(courier::Server<Pack>& server, courier::ClientHandle client) {
#ifdef COURIER_COMPILE_FAIL_CONTROL
  (void)server.send(client, Chat{1});
#else
  (void)server.send(client, Input{1});
#endif
}
int main() { return 0; }
