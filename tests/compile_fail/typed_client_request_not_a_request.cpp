// expect-error: Client::request: this type is not a request of the pack
// Client::request compiles only for the request type of one of the pack's Request pairs: not
// for a channel message, nor for a response.
#include <courier/pack.hpp>
#include <courier/typed/client.hpp>

struct Chat { std::uint32_t text; };
struct Save { std::uint32_t slot; };
struct Saved { bool ok; };
using Pack = courier::ChannelPack<courier::Version<"v">, courier::Channel<"chat", courier::ReliableOrdered, Chat>,
                                  courier::Request<Save, Saved>>;

void ask(courier::Client<Pack>& client) {
#ifdef COURIER_COMPILE_FAIL_CONTROL
  (void)client.request(Save{1});
#else
  (void)client.request(Saved{true});
#endif
}
int main() { return 0; }
