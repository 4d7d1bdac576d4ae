// expect-error: courier::match: this handler takes a type that is not one of the event's alternatives
// A handler for a server event in a client loop would never run; match refuses it even next to
// a catch-all.
#include <courier/pack.hpp>
#include <courier/typed/client.hpp>
#include <courier/typed/server.hpp>

struct Chat { std::uint32_t text; };
using Pack = courier::ChannelPack<courier::Version<"v">, courier::Channel<"chat", courier::ReliableOrdered, Chat>>;

void drain(courier::Client<Pack>& client) {
  using C = courier::Client<Pack>;
  using S = courier::Server<Pack>;
  while (auto e = client.poll_event()) {
#ifdef COURIER_COMPILE_FAIL_CONTROL
    courier::match(*e, [](C::Message<Chat>&) {}, [](auto&) {});
#else
    courier::match(*e, [](S::Message<Chat>&) {}, [](auto&) {});
#endif
  }
}
int main() { return 0; }
