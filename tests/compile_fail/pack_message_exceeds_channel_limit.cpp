// expect-error: worst-case encoded size exceeds its channel's MaxMessageBytes
// expect-error-within-lines: 5
// expect-error: MessageFitsChannel<Snapshot, .*, 2000, 1024>
// expect-error: raise the channel's MaxMessageBytes<N>
#include <courier/pack/channel_pack.hpp>
#include "../support/fake_policies.hpp"

struct Snapshot { char bytes[2000]; };
#ifdef COURIER_COMPILE_FAIL_CONTROL
using Pack = courier::test::FakePack<courier::Version<"v">, courier::Channel<"a", courier::ReliableOrdered, Snapshot>>;
#else
// An unreliable channel's default limit is one packet's share (1024 bytes); MaxMessageBytes<N>
// raises it (its messages are then fragmented, all-or-nothing).
using Pack = courier::test::FakePack<courier::Version<"v">, courier::Channel<"a", courier::Unreliable, Snapshot>>;
#endif
int main() { return static_cast<int>(Pack::protocol_id & 1); }
