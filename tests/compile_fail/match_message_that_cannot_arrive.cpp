// expect-error: courier::match: this handler takes a type that is not one of the event's alternatives
// The server never sends a ClientToServer message, so a client has no event for it.
#include <courier/pack.hpp>
#include <courier/typed/client.hpp>

struct Input { std::uint32_t buttons; };
struct Chat { std::uint32_t text; };
using Pack = courier::ChannelPack<courier::Version<"v">,
                                  courier::Channel<"input", courier::Unreliable, Input, courier::ClientToServer>,
                                  courier::Channel<"chat", courier::ReliableOrdered, Chat>>;

void drain(courier::Client<Pack>& client) {
  using C = courier::Client<Pack>;
  while (auto e = client.poll_event()) {
#ifdef COURIER_COMPILE_FAIL_CONTROL
    courier::match(*e, [](C::Message<Chat>&) {}, [](auto&) {});
#else
    courier::match(*e, [](C::Message<Input>&) {}, [](auto&) {});
#endif
  }
}
int main() { return 0; }
