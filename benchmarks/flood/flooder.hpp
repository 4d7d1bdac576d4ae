#pragma once
// The flooder of the flood benchmark: one thread, pinned to its own core, sending as fast as
// that core allows with sendmmsg from its own sockets on 127.0.0.1. Three kinds of flood:
//   garbage16  16-byte random datagrams (the cheapest flood to send: the most packets a second);
//   replay     one real connection request, captured from a valid token, replayed from 512 ports
//              (the token is good, but single-use and bound to the first address it came from);
//   protocol   the same request with another protocol id (refused by its header, before any
//              cryptography: the floor the replay flood is compared against).

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace flood {

enum class Kind { none, garbage16, replay, protocol };

inline const char* name(Kind k) {
  switch (k) {
    case Kind::none: return "none";
    case Kind::garbage16: return "garbage16";
    case Kind::replay: return "replay";
    case Kind::protocol: return "protocol";
  }
  return "?";
}

/// "garbage16,replay" -> the kinds named; unknown names are skipped.
inline std::vector<Kind> parse_kinds(const std::string& list) {
  std::vector<Kind> out;
  std::size_t at = 0;
  while (at <= list.size()) {
    const std::size_t end = std::min(list.find(',', at), list.size());
    const std::string one = list.substr(at, end - at);
    for (Kind k : {Kind::none, Kind::garbage16, Kind::replay, Kind::protocol})
      if (one == name(k)) out.push_back(k);
    at = end + 1;
  }
  return out;
}

class Flooder {
 public:
  /// `request`: a valid 1078-byte connection request (for `replay` and `protocol`).
  Flooder(Kind kind, std::uint16_t target_port, std::vector<std::uint8_t> request)
      : kind_(kind), request_(std::move(request)) {
    target_.sin_family = AF_INET;
    target_.sin_port = htons(target_port);
    target_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (kind_ == Kind::protocol) request_[14] ^= 0xff;  // prefix 1 + version info 13: the protocol id
    const std::size_t ports = kind_ == Kind::garbage16 ? 8 : 512;
    for (std::size_t i = 0; i < ports; ++i) sockets_.push_back(::socket(AF_INET, SOCK_DGRAM, 0));
    make_garbage();
  }
  ~Flooder() {
    for (int s : sockets_) ::close(s);
  }
  Flooder(const Flooder&) = delete;
  Flooder& operator=(const Flooder&) = delete;

  /// Sends until `stop`; counts what the kernel accepted.
  void run(const std::atomic<bool>& stop) {
    if (kind_ == Kind::none) return;
    std::array<mmsghdr, batch> msgs{};
    std::array<iovec, batch> iov{};
    std::size_t next_socket = 0, next_garbage = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      for (std::size_t i = 0; i < batch; ++i) {
        if (kind_ == Kind::garbage16) {
          iov[i] = {garbage_.data() + 16 * (next_garbage++ % garbage_count), 16};
        } else {
          iov[i] = {request_.data(), request_.size()};
        }
        msgs[i].msg_hdr = {};
        msgs[i].msg_hdr.msg_name = &target_;
        msgs[i].msg_hdr.msg_namelen = sizeof target_;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
      }
      const int s = sockets_[next_socket++ % sockets_.size()];
      const int n = ::sendmmsg(s, msgs.data(), batch, 0);
      if (n > 0) sent_.fetch_add(static_cast<std::uint64_t>(n), std::memory_order_relaxed);
    }
  }
  [[nodiscard]] std::uint64_t sent() const { return sent_.load(); }
  [[nodiscard]] std::size_t datagram_bytes() const { return kind_ == Kind::garbage16 ? 16 : request_.size(); }

 private:
  static constexpr unsigned batch = 32;
  static constexpr std::size_t garbage_count = 4096;

  /// 16-byte datagrams whose first byte is not 0 (not a request: they take the encrypted-packet
  /// path, refused for coming from a stranger) and whose rest is pseudo-random.
  void make_garbage() {
    garbage_.resize(16 * garbage_count);
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    for (auto& b : garbage_) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      b = static_cast<std::uint8_t>(x);
    }
    for (std::size_t i = 0; i < garbage_count; ++i) garbage_[16 * i] = static_cast<std::uint8_t>(1 + i % 6);
  }

  Kind kind_;
  std::vector<std::uint8_t> request_;
  std::vector<std::uint8_t> garbage_;
  std::vector<int> sockets_;
  sockaddr_in target_{};
  std::atomic<std::uint64_t> sent_{0};
};

}  // namespace flood
