// expect-error: Every request needs its response
#include <courier/pack/channel_pack.hpp>
#include "../support/fake_policies.hpp"

struct Login { int name; };
struct Welcome { int player; };
#ifdef COURIER_COMPILE_FAIL_CONTROL
using Pack = courier::test::FakePack<courier::Version<"v">, courier::Request<Login, Welcome>>;
#else
using Pack = courier::test::FakePack<courier::Version<"v">, courier::Request<Login>>;
#endif
int main() { return static_cast<int>(Pack::protocol_id & 1); }
