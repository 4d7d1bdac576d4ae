// courier over WebSocket (ws:// on 127.0.0.1) in the end-to-end benchmark: the benchmark pack
// with WebSocketServer on the server and WebSocketClient on the client, Netcode102, the same
// roles as over UDP (courier_roles.hpp), so the rows compare the transports and nothing else.

#include <courier/transport/websocket/websocket_client.hpp>
#include <courier/transport/websocket/websocket_server.hpp>

#include "courier_roles.hpp"

namespace bench {

// The WebSocket transports wait for their own input (WaitsForInput: Asio's reactor, not a
// socket of ours), so the loops sleep in wait_for_input as they sleep in poll() over UDP.
template <>
struct Link<courier::WebSocketServer> {
  static courier::WebSocketServer open() { return courier::WebSocketServer(*courier::Address::parse("127.0.0.1:0")); }
  static void wait(courier::WebSocketServer& t) { (void)t.wait_for_input(std::chrono::milliseconds(1)); }
};

template <>
struct Link<courier::WebSocketClient> {
  static courier::WebSocketClient open() { return courier::WebSocketClient{}; }
  static void wait(courier::WebSocketClient& t) { (void)t.wait_for_input(std::chrono::milliseconds(1)); }
};

int courier_ws_role(const std::string& role, const std::string& workload, const Args& a) {
  using namespace roles;
  using ServerPack = courier::WithTransport<NcPack, courier::WebSocketServer>;
  using ClientPack = courier::WithTransport<NcPack, courier::WebSocketClient>;
  return role == "server" ? server<ServerPack>(workload, a) : client<ClientPack>(workload, a);
}

}  // namespace bench
