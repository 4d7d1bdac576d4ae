// expect-error: MaxSendDelay is for unreliable channels
#include <courier/pack/channel_pack.hpp>
#include "../support/fake_policies.hpp"

struct Snapshot { int tick; };
#ifdef COURIER_COMPILE_FAIL_CONTROL
using Pack = courier::test::FakePack<courier::Version<"v">,
                                     courier::Channel<"s", courier::Unreliable, Snapshot, courier::MaxSendDelay<100>>>;
#else
using Pack = courier::test::FakePack<courier::Version<"v">,
                                     courier::Channel<"s", courier::ReliableOrdered, Snapshot, courier::MaxSendDelay<100>>>;
#endif
int main() { return static_cast<int>(Pack::protocol_id & 1); }
