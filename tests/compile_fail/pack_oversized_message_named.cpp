// expect-error: worst-case encoded size exceeds its channel's MaxMessageBytes
// expect-error-within-lines: 5
// expect-error: MessageFitsChannel<Input, .*, 300, 256>
// The second channel's second message breaks its explicit limit: the error names that message,
// its worst case and that channel's limit, not the first channel or the fitting messages.
#include <courier/pack/channel_pack.hpp>
#include "../support/fake_policies.hpp"

struct Chat { char bytes[100]; };
struct Move { char bytes[16]; };
struct Input { char bytes[300]; };
#ifdef COURIER_COMPILE_FAIL_CONTROL
using Limit = courier::MaxMessageBytes<300>;
#else
using Limit = courier::MaxMessageBytes<256>;
#endif
using Pack = courier::test::FakePack<courier::Version<"v">,
                                     courier::Channel<"chat", courier::ReliableOrdered, Chat>,
                                     courier::Channel<"input", courier::Unreliable, Move, Limit, Input>>;
int main() { return static_cast<int>(Pack::protocol_id & 1); }
