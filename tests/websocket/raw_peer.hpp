#pragma once
// RawPeer: a hand-driven TCP client for the WebSocket limit tests. It speaks just enough of
// RFC 6455 to misbehave on purpose: an upgrade request written by hand, frames built byte by
// byte (masked or not, any opcode), and no reading at all unless asked.

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>

#include <courier/transport/address.hpp>
#include <courier/transport/detail/socket_address.hpp>

namespace courier::test {

class RawPeer {
 public:
  /// Connects to `server` (IPv4); `receive_buffer` > 0 shrinks SO_RCVBUF first (a slow reader);
  /// `from` (an ip, port 0) is the source address, e.g. 127.0.0.2: another source on loopback.
  explicit RawPeer(const Address& server, int receive_buffer = 0, const Address& from = {}) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_storage to{};
    if (!from.is_none()) {
      const socklen_t m = courier::detail::to_sockaddr(from, AF_INET, false, to);
      (void)::bind(fd_, reinterpret_cast<const sockaddr*>(&to), m);
      to = {};
    }
    const socklen_t n = courier::detail::to_sockaddr(server.with_link(Address::Link::datagram), AF_INET, false, to);
    connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&to), n) == 0;
    ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;
  ~RawPeer() { ::close(fd_); }

  [[nodiscard]] bool connected() const noexcept { return connected_; }

  void write(const std::string& bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }

  /// A valid upgrade request (RFC 6455 §4.1); the answer is left unread.
  void upgrade() {
    write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  }

  /// One frame with FIN set: `opcode` 1 text, 2 binary, 9 ping; masked as a client must (§5.3).
  void frame(std::uint8_t opcode, const std::string& payload, bool masked = true) {
    std::string f;
    f += static_cast<char>(0x80 | opcode);
    const std::uint8_t mask_bit = masked ? 0x80 : 0x00;
    if (payload.size() < 126) {
      f += static_cast<char>(mask_bit | payload.size());
    } else {
      f += static_cast<char>(mask_bit | 126);
      f += static_cast<char>(payload.size() >> 8);
      f += static_cast<char>(payload.size() & 0xff);
    }
    const std::array<char, 4> key = {0x11, 0x22, 0x33, 0x44};
    if (masked) f.append(key.begin(), key.end());
    for (std::size_t i = 0; i < payload.size(); ++i) f += masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i];
    write(f);
  }

  /// Whatever has arrived, appended to what() (non-blocking).
  void read_available() {
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n > 0) {
        received_.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) closed_ = true;
      return;
    }
  }
  [[nodiscard]] const std::string& received() const noexcept { return received_; }
  /// Ends the TCP connection, as a client does once the server's close frame arrived.
  void hang_up() { ::shutdown(fd_, SHUT_RDWR); }
  /// True once the server ended the connection (seen by read_available).
  [[nodiscard]] bool closed() const noexcept { return closed_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string received_;
};

}  // namespace courier::test
