// expect-error: cannot convert .+Saved.+ResponseFor<Login>|no matching member function for call to .respond.|Server::respond:
// Server::respond takes the response of the token's own request pair: a Login token is
// answered with a Welcome, not with the response of another pair.
#include <courier/pack.hpp>
#include <courier/typed/server.hpp>

#include <utility>

struct Login { std::uint32_t name; };
struct Welcome { std::uint32_t player; };
struct Save { std::uint32_t slot; };
struct Saved { bool ok; };
using Pack = courier::ChannelPack<courier::Version<"v">, courier::Request<Login, Welcome>, courier::Request<Save, Saved>>;

void answer(courier::Server<Pack>& server, courier::RequestToken<Pack, Login> token) {
#ifdef COURIER_COMPILE_FAIL_CONTROL
  (void)server.respond(std::move(token), Welcome{7});
#else
  (void)server.respond(std::move(token), Saved{true});
#endif
}
int main() { return 0; }
