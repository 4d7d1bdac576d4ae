// expect-error: A message type is listed twice in the pack
#include <courier/pack/channel_pack.hpp>
#include "../support/fake_policies.hpp"

struct Chat { int text; };
struct Move { int x; };
#ifdef COURIER_COMPILE_FAIL_CONTROL
using Pack = courier::test::FakePack<courier::Version<"v">, courier::Channel<"a", courier::ReliableOrdered, Chat>,
                                     courier::Channel<"b", courier::Unreliable, Move>>;
#else
using Pack = courier::test::FakePack<courier::Version<"v">, courier::Channel<"a", courier::ReliableOrdered, Chat>,
                                     courier::Channel<"b", courier::Unreliable, Chat>>;
#endif
int main() { return static_cast<int>(Pack::protocol_id & 1); }
