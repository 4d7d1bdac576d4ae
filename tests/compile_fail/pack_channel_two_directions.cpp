// expect-error: A channel names at most one direction
// A channel is client→server, server→client, or (without an option) both: not two options.
#include <courier/pack/channel_pack.hpp>
#include "../support/fake_policies.hpp"

struct Input { std::uint32_t buttons; };
#ifdef COURIER_COMPILE_FAIL_CONTROL
using C = courier::Channel<"input", courier::Unreliable, Input, courier::ClientToServer>;
#else
using C = courier::Channel<"input", courier::Unreliable, Input, courier::ClientToServer, courier::ServerToClient>;
#endif
int main() { return C::from_client ? 0 : 1; }
