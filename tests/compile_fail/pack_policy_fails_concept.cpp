// expect-error: transport policy does not satisfy courier::Transport
#include <courier/pack/channel_pack.hpp>
#include "../support/fake_policies.hpp"

struct Chat { int text; };
struct NotATransport { void send(int) {} };
#ifdef COURIER_COMPILE_FAIL_CONTROL
using Pack = courier::test::FakePack<courier::Version<"v">, courier::Channel<"a", courier::ReliableOrdered, Chat>,
                                     courier::UseTransport<courier::test::NullTransport>>;
#else
using Pack = courier::test::FakePack<courier::Version<"v">, courier::Channel<"a", courier::ReliableOrdered, Chat>,
                                     courier::UseTransport<NotATransport>>;
#endif
int main() { return static_cast<int>(Pack::protocol_id & 1); }
