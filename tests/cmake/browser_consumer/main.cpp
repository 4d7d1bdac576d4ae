// A user's browser client, as small as it gets: a typed Client over BrowserWebSocket. Run under
// node by the test; it prints what it made and exits 0.
#include <courier/client.hpp>
#include <courier/transport/browser/browser_websocket.hpp>

#include <cstdio>

struct Hello { courier::BoundedString<32> text; };
using Pack = courier::ChannelPack<courier::Version<"browser consumer 1">,
                                  courier::Channel<"hello", courier::ReliableOrdered, Hello>,
                                  courier::UseTransport<courier::BrowserWebSocket>>;

int main() {
  courier::Client<Pack> client{courier::BrowserWebSocket{}};
  std::printf("browser consumer: protocol 0x%016llx, %s\n", static_cast<unsigned long long>(Pack::protocol_id),
              client.connected() ? "connected?" : "not connected yet");
  return client.connected() ? 1 : 0;
}
