// expect-error: Client::send: this message's channel is ServerToClient; only the server sends it
// A channel declared ServerToClient carries messages from the server only.
#include <courier/pack.hpp>
#include <courier/typed/client.hpp>

struct Snapshot { std::uint32_t tick; };
struct Chat { std::uint32_t text; };
using Pack = courier::ChannelPack<courier::Version<"v">,
                                  courier::Channel<"snapshots", courier::Unreliable, Snapshot, courier::ServerToClient>,
                                  courier::Channel<"chat", courier::ReliableOrdered, Chat>>;

void tell(courier::Client<Pack>& client) {
#ifdef COURIER_COMPILE_FAIL_CONTROL
  (void)client.send(Chat{1});
#else
  (void)client.send(Snapshot{1});
#endif
}
int main() { return 0; }
