// Fuzz target: arbitrary bytes as the TCP stream a WebSocket peer sends to WebSocketServer.
// The first input byte chooses whether a valid upgrade request goes first (so that most inputs
// reach the frame parser, RFC 6455 §5) or the input is the whole stream (the HTTP upgrade
// itself is fuzzed). The stream is written over a real loopback TCP connection to a server
// that lives for the whole run; the server is pumped until it has read everything or closed
// the connection. Invariants: every datagram delivered fits max_message_bytes and came from a
// WebSocket link; once the peer hangs up, the server holds no connection (nothing leaks);
// nothing crashes or blocks (a hang is reported by libFuzzer's timeout).

#include "common.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include <courier/transport/websocket/websocket_server.hpp>

namespace {

using namespace courier;

constexpr std::size_t max_message = 512;
constexpr std::string_view upgrade_request =
    "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

WebSocketServer& server() {
  static WebSocketServer s = [] {
    WebSocketServerConfig c;
    c.limits.max_message_bytes = max_message;
    c.limits.max_send_queue = 4;
    c.limits.receive_queue = 16;
    c.max_connections = 4;
    // Every input dials from 127.0.0.1, hundreds of times a second of the server's clock: the
    // per-source limits would refuse most of them at accept, before the frames are read.
    c.max_connections_per_source = 0;
    c.connects_per_second_per_source = 0;
    return WebSocketServer(*Address::parse("127.0.0.1:0"), c);
  }();
  return s;
}

/// A blocking loopback connection to the server (connect completes in the kernel's backlog),
/// or -1 when the kernel refuses it: the harness's own socket, not the server's input, so the
/// input is skipped with the reason printed rather than reported as a finding.
int dial() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(server().local_address().port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    std::fprintf(stderr, "websocket_frames: connect to the server failed (%s); input skipped\n", std::strerror(errno));
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Pumps the server `rounds` times, checking every datagram it delivers.
void pump(TimePoint& now, int rounds) {
  std::array<Datagram, 16> slots;
  for (int i = 0; i < rounds; ++i) {
    now += std::chrono::milliseconds(1);
    server().update(now);
    const std::size_t n = server().receive(slots);
    for (std::size_t k = 0; k < n; ++k) {
      FUZZ_CHECK(slots[k].size <= max_message);
      FUZZ_CHECK(slots[k].from.is_websocket());
      (void)server().send(slots[k].from, slots[k].bytes());  // the echo exercises the write path
    }
    server().flush();
    while (server().take_unreachable()) {}
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static TimePoint now{};
  fuzz::Input in(data, size);
  const bool upgrade_first = (in.u8() & 1) == 0;
  const int fd = dial();
  if (fd < 0) return 0;
  if (upgrade_first) (void)::send(fd, upgrade_request.data(), upgrade_request.size(), MSG_NOSIGNAL);
  const auto rest = in.rest();
  // Small writes, pumped in between, so the server meets the stream in pieces as TCP would.
  for (std::size_t at = 0; at < rest.size(); at += 256) {
    const std::size_t n = std::min<std::size_t>(256, rest.size() - at);
    (void)::send(fd, rest.data() + at, n, MSG_NOSIGNAL);
    pump(now, 2);
  }
  pump(now, 8);
  ::close(fd);
  // The hang-up ends the connection; past the handshake deadline at the latest.
  for (int i = 0; i < 1000 && server().connections() > 0; ++i) pump(now, 10);
  FUZZ_CHECK(server().connections() == 0);
  return 0;
}
