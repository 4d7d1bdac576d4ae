// expect-error: Client::send: this type is not a message of the pack's channels
// Client::send compiles only for a message of the pack's channels: here a request type, which
// the pack knows but carries on its request channel (Client::request sends it).
#include <courier/pack.hpp>
#include <courier/typed/client.hpp>

struct Chat { std::uint32_t text; };
struct Save { std::uint32_t slot; };
struct Saved { bool ok; };
using Pack = courier::ChannelPack<courier::Version<"v">, courier::Channel<"chat", courier::ReliableOrdered, Chat>,
                                  courier::Request<Save, Saved>>;

void send(courier::Client<Pack>& client) {
#ifdef COURIER_COMPILE_FAIL_CONTROL
  (void)client.send(Chat{1});
#else
  (void)client.send(Save{1});
#endif
}
int main() { return 0; }
