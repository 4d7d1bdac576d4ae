// Raw UDP: the physical reference. Non-blocking sockets with 4 MiB buffers (as courier's Udp),
// sendmmsg / recvmmsg batches of 64; no header, no crypto, no reliability.

#include "common.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

namespace bench {
namespace {

constexpr int batch = 64;

int open_socket(sockaddr_in& bound) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) std::abort();
  int size = 4 * 1024 * 1024;
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) std::abort();
  socklen_t len = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  return fd;
}

int server(const std::string& workload, const Args& a) {
  sockaddr_in self{};
  const int fd = open_socket(self);
  announce_port(ntohs(self.sin_port));
  const double window = static_cast<double>(a.num("ms", 1000)) / 1000.0;
  std::vector<std::array<char, 1500>> bufs(batch);
  std::array<mmsghdr, batch> msgs{};
  std::array<iovec, batch> iov{};
  std::array<sockaddr_in, batch> from{};
  long received = 0;
  Clock::time_point first{};
  for (;;) {
    for (int i = 0; i < batch; ++i) {
      iov[static_cast<std::size_t>(i)] = {bufs[static_cast<std::size_t>(i)].data(), 1500};
      msgs[static_cast<std::size_t>(i)].msg_hdr = {};
      msgs[static_cast<std::size_t>(i)].msg_hdr.msg_iov = &iov[static_cast<std::size_t>(i)];
      msgs[static_cast<std::size_t>(i)].msg_hdr.msg_iovlen = 1;
      msgs[static_cast<std::size_t>(i)].msg_hdr.msg_name = &from[static_cast<std::size_t>(i)];
      msgs[static_cast<std::size_t>(i)].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    }
    wait_readable(fd, 1);
    const int n = ::recvmmsg(fd, msgs.data(), batch, 0, nullptr);
    if (n > 0) {
      if (workload == "rtt") {
        for (int i = 0; i < n; ++i) iov[static_cast<std::size_t>(i)].iov_len = msgs[static_cast<std::size_t>(i)].msg_len;
        ::sendmmsg(fd, msgs.data(), static_cast<unsigned>(n), 0);
      } else {
        if (received == 0) first = Clock::now();
        received += n;
      }
    }
    if (workload == "unreliable" && received > 0 && seconds_since(first) >= window) {
      Result().add("msgs_per_s", static_cast<double>(received) / seconds_since(first)).print();
      return 0;
    }
  }
}

int client(const std::string& workload, const Args& a) {
  sockaddr_in self{};
  const int fd = open_socket(self);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  to.sin_port = htons(static_cast<std::uint16_t>(a.num("port")));
  const std::size_t size = static_cast<std::size_t>(a.num("size", 1200));
  std::vector<char> payload(size, 'x');
  if (workload == "unreliable") {
    std::array<mmsghdr, batch> msgs{};
    std::array<iovec, batch> iov{};
    for (std::size_t i = 0; i < batch; ++i) {
      iov[i] = {payload.data(), size};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &to;
      msgs[i].msg_hdr.msg_namelen = sizeof to;
    }
    for (;;) ::sendmmsg(fd, msgs.data(), batch, 0);
  }
  if (workload == "rtt") {
    const long count = a.num("count", 10000);
    const long warm = count / 10;
    std::vector<double> rtt;
    std::array<char, 1500> in{};
    for (long i = 0; i < count + warm; ++i) {
      const auto t = Clock::now();
      ::sendto(fd, payload.data(), size, 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
      while (::recv(fd, in.data(), in.size(), 0) < 0) wait_readable(fd, 1);
      if (i >= warm) rtt.push_back(seconds_since(t) * 1e6);
    }
    std::sort(rtt.begin(), rtt.end());
    Result().add("median_us", percentile(rtt, 0.5)).add("p99_us", percentile(rtt, 0.99)).print();
    return 0;
  }
  return 1;
}

}  // namespace

int raw_role(const std::string& role, const std::string& workload, const Args& a) {
  return role == "server" ? server(workload, a) : client(workload, a);
}

}  // namespace bench
