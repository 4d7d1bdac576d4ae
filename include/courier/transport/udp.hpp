#pragma once
/// \file
/// Udp: the real Transport, a non-blocking UDP socket (IPv4, IPv6 or dual-stack) that batches
/// system calls: `send` queues into a fixed batch and `flush` hands the whole batch to the
/// kernel with one `sendmmsg`; `receive` reads many datagrams with one `recvmmsg`, straight into
/// the caller's Datagram buffers. Nothing on the send or receive path allocates.

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "courier/core/drop_reason.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/detail/socket_address.hpp"
#include "courier/transport/transport_stats.hpp"

namespace courier {

/// Settings of a Udp socket, fixed when it opens.
struct UdpConfig {
  /// SO_SNDBUF and SO_RCVBUF request; the kernel caps it at net.core.{w,r}mem_max (see
  /// Udp::send_buffer_bytes for what was granted). 0 keeps the system default.
  std::size_t socket_buffer_bytes = 4 * 1024 * 1024;
  /// Datagrams per sendmmsg / recvmmsg call, 1 to 1024 (the kernel's UIO_MAXIOV).
  std::size_t batch_size = 64;
  /// For an IPv6 bind address: also accept and send IPv4 (IPV6_V6ONLY off). Ignored for IPv4.
  bool dual_stack = true;
};

/// A non-blocking UDP socket. Move-only; the destructor closes it. Datagrams queued by `send`
/// leave at the next `flush` (or as soon as the batch is full), so call `flush` once per tick.
class Udp {
 public:
  /// Opens and binds a socket at `bind` (port 0: the kernel picks one, see local_address).
  /// Throws std::system_error with Error::invalid_address (none address), invalid_config
  /// (config out of range), address_in_use (EADDRINUSE) or socket_failed (any other refusal;
  /// the message names the call and the system's reason).
  explicit Udp(Address bind, UdpConfig config = {})
      : Udp(opened_or_throw(bind, config), config) {}

  /// As the constructor, but reports setup errors in `ec` and returns nullopt instead of
  /// throwing (only std::bad_alloc can still escape).
  [[nodiscard]] static std::optional<Udp> open(Address bind, std::error_code& ec,
                                               UdpConfig config = {}) {
    Opened opened = open_socket(bind, config);
    ec = opened.ec;
    if (ec) return std::nullopt;
    return Udp(opened, config);
  }

  Udp(Udp&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)),
        family_(other.family_),
        local_(other.local_),
        config_(other.config_),
        queued_(std::exchange(other.queued_, 0)),
        buffers_(std::move(other.buffers_)),
        stats_(other.stats_) {}

  Udp& operator=(Udp&& other) noexcept {
    if (this != &other) {
      close();
      fd_ = std::exchange(other.fd_, -1);
      family_ = other.family_;
      local_ = other.local_;
      config_ = other.config_;
      queued_ = std::exchange(other.queued_, 0);
      buffers_ = std::move(other.buffers_);
      stats_ = other.stats_;
    }
    return *this;
  }

  Udp(const Udp&) = delete;
  Udp& operator=(const Udp&) = delete;
  ~Udp() { close(); }

  /// Copies the datagram into the batch; a full batch is flushed at once. Errors:
  /// message_too_large above max_datagram_bytes, invalid_address for a destination this socket
  /// cannot reach (none, or the other family), not_connected on a moved-from object. A datagram
  /// the kernel refuses later, in flush, is counted in stats().send_errors.
  [[nodiscard]] std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    if (fd_ < 0) return Error::not_connected;
    if (bytes.size() > max_datagram_bytes) return Error::message_too_large;
    Buffers& b = buffers_;
    const socklen_t length = detail::to_sockaddr(to, family_, config_.dual_stack, b.send_addr[queued_]);
    if (length == 0) return Error::invalid_address;
    std::copy(bytes.begin(), bytes.end(), b.send_payload[queued_].begin());
    b.send_iov[queued_].iov_len = bytes.size();
    b.send_msgs[queued_].msg_hdr.msg_namelen = length;
    if (++queued_ == b.send_msgs.size()) flush();
    return {};
  }

  /// Sends every queued datagram with as few sendmmsg calls as the kernel allows.
  void flush() noexcept {
    std::size_t next = 0;
    while (next < queued_) {
      const int sent = ::sendmmsg(fd_, &buffers_.send_msgs[next],
                                  static_cast<unsigned>(queued_ - next), 0);
      if (sent > 0) {
        count_sent(next, static_cast<std::size_t>(sent));
        next += static_cast<std::size_t>(sent);
      } else if (sent < 0 && errno == EINTR) {
        continue;
      } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // The socket buffer is full: like a congested router, lose the rest of the batch
        // rather than block the caller's tick.
        stats_.send_errors += queued_ - next;
        break;
      } else {
        ++stats_.send_errors;  // the kernel refused this one datagram; try those after it
        ++next;
      }
    }
    queued_ = 0;
  }

  /// Reads up to `slots.size()` waiting datagrams into `slots`; never blocks. A datagram longer
  /// than max_datagram_bytes (truncated by the kernel) is dropped as too_large.
  [[nodiscard]] std::size_t receive(std::span<Datagram> slots) noexcept {
    std::size_t filled = 0;
    while (fd_ >= 0 && filled < slots.size()) {
      const std::size_t want = std::min(slots.size() - filled, buffers_.recv_msgs.size());
      prepare_receive(slots.subspan(filled, want));
      const int got = ::recvmmsg(fd_, buffers_.recv_msgs.data(), static_cast<unsigned>(want),
                                 MSG_DONTWAIT, nullptr);
      if (got < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) ++stats_.receive_errors;
        break;
      }
      filled += accept_received(slots.subspan(filled, want), static_cast<std::size_t>(got));
      if (static_cast<std::size_t>(got) < want) break;  // the socket is drained
    }
    return filled;
  }

  /// Nothing is time-driven here.
  void update(TimePoint) noexcept {}

  /// The bound address, with the real port when bound to port 0.
  [[nodiscard]] Address local_address() const noexcept { return local_; }

  [[nodiscard]] const TransportStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const UdpConfig& config() const noexcept { return config_; }
  /// Datagrams waiting in the batch for the next flush.
  [[nodiscard]] std::size_t queued() const noexcept { return queued_; }
  /// The socket descriptor, for poll/epoll; -1 after a move.
  [[nodiscard]] int native_handle() const noexcept { return fd_; }

  /// Socket buffer sizes the kernel granted (Linux reports twice the usable payload bytes).
  [[nodiscard]] std::size_t send_buffer_bytes() const noexcept { return buffer_option(SO_SNDBUF); }
  [[nodiscard]] std::size_t receive_buffer_bytes() const noexcept { return buffer_option(SO_RCVBUF); }

 private:
  /// What open_socket produced: a bound descriptor, or the error and the call that failed.
  struct Opened {
    int fd = -1;
    int family = 0;
    Address local;
    std::error_code ec;
    const char* call = "";
    int sys_error = 0;
  };

  /// Preallocated batch storage; every pointer inside points into these vectors' heap blocks,
  /// which a move of the vectors keeps in place.
  struct Buffers {
    std::vector<mmsghdr> send_msgs;
    std::vector<iovec> send_iov;
    std::vector<sockaddr_storage> send_addr;
    std::vector<std::array<std::byte, max_datagram_bytes>> send_payload;
    std::vector<mmsghdr> recv_msgs;
    std::vector<iovec> recv_iov;
    std::vector<sockaddr_storage> recv_addr;
  };

  Udp(const Opened& opened, const UdpConfig& config)
      : fd_(opened.fd), family_(opened.family), local_(opened.local), config_(config) {
    try {
      allocate_buffers(config.batch_size);
    } catch (...) {
      close();
      throw;
    }
  }

  [[nodiscard]] static Opened opened_or_throw(const Address& bind, const UdpConfig& config) {
    Opened opened = open_socket(bind, config);
    if (!opened.ec) return opened;
    if (opened.sys_error == 0) throw std::system_error(opened.ec, bind.to_string());
    throw std::system_error(opened.ec, std::string(opened.call) + " " + bind.to_string() + ": " +
                                           std::system_category().message(opened.sys_error));
  }

  [[nodiscard]] static Opened open_socket(const Address& bind, const UdpConfig& config) noexcept {
    Opened o;
    if (config.batch_size == 0 || config.batch_size > 1024 || config.socket_buffer_bytes > INT_MAX) {
      o.ec = Error::invalid_config;
      return o;
    }
    if (bind.is_none()) {
      o.ec = Error::invalid_address;
      return o;
    }
    o.family = bind.is_ipv6() ? AF_INET6 : AF_INET;
    o.fd = ::socket(o.family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (o.fd < 0) return fail(o, "socket");
    const int v6only = config.dual_stack ? 0 : 1;
    if (o.family == AF_INET6 && !set_option(o.fd, IPPROTO_IPV6, IPV6_V6ONLY, v6only)) {
      return fail(o, "setsockopt(IPV6_V6ONLY)");
    }
    const int buffer = static_cast<int>(config.socket_buffer_bytes);
    if (buffer > 0 && (!set_option(o.fd, SOL_SOCKET, SO_SNDBUF, buffer) ||
                       !set_option(o.fd, SOL_SOCKET, SO_RCVBUF, buffer))) {
      return fail(o, "setsockopt(SO_SNDBUF/SO_RCVBUF)");
    }
    sockaddr_storage address{};
    const socklen_t length = detail::to_sockaddr(bind, o.family, false, address);
    if (::bind(o.fd, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
      return fail(o, "bind");
    }
    socklen_t bound_length = sizeof(address);
    if (::getsockname(o.fd, reinterpret_cast<sockaddr*>(&address), &bound_length) != 0) {
      return fail(o, "getsockname");
    }
    o.local = detail::from_sockaddr(address);
    return o;
  }

  static Opened fail(Opened& o, const char* call) noexcept {
    o.sys_error = errno;
    o.call = call;
    o.ec = o.sys_error == EADDRINUSE ? Error::address_in_use : Error::socket_failed;
    if (o.fd >= 0) ::close(o.fd);
    o.fd = -1;
    return o;
  }

  static bool set_option(int fd, int level, int name, int value) noexcept {
    return ::setsockopt(fd, level, name, &value, sizeof(value)) == 0;
  }

  [[nodiscard]] std::size_t buffer_option(int name) const noexcept {
    int value = 0;
    socklen_t length = sizeof(value);
    if (fd_ < 0 || ::getsockopt(fd_, SOL_SOCKET, name, &value, &length) != 0) return 0;
    return static_cast<std::size_t>(value);
  }

  // Wires every message header to its own address record, iovec and payload once, so send
  // and receive only fill in lengths.
  void allocate_buffers(std::size_t batch) {
    Buffers& b = buffers_;
    b.send_msgs.assign(batch, mmsghdr{});
    b.send_iov.assign(batch, iovec{});
    b.send_addr.assign(batch, sockaddr_storage{});
    b.send_payload.resize(batch);
    b.recv_msgs.assign(batch, mmsghdr{});
    b.recv_iov.assign(batch, iovec{});
    b.recv_addr.assign(batch, sockaddr_storage{});
    for (std::size_t i = 0; i < batch; ++i) {
      b.send_iov[i].iov_base = b.send_payload[i].data();
      wire(b.send_msgs[i].msg_hdr, b.send_addr[i], b.send_iov[i]);
      wire(b.recv_msgs[i].msg_hdr, b.recv_addr[i], b.recv_iov[i]);
    }
  }

  static void wire(msghdr& header, sockaddr_storage& address, iovec& iov) noexcept {
    header.msg_name = &address;
    header.msg_namelen = sizeof(address);
    header.msg_iov = &iov;
    header.msg_iovlen = 1;
  }

  void count_sent(std::size_t first, std::size_t count) noexcept {
    for (std::size_t i = first; i < first + count; ++i) {
      ++stats_.datagrams_sent;
      stats_.bytes_sent += buffers_.send_iov[i].iov_len;
    }
  }

  // Points the receive batch at the caller's own Datagram buffers: no intermediate copy.
  void prepare_receive(std::span<Datagram> slots) noexcept {
    for (std::size_t i = 0; i < slots.size(); ++i) {
      buffers_.recv_iov[i].iov_base = slots[i].data.data();
      buffers_.recv_iov[i].iov_len = slots[i].data.size();
      msghdr& header = buffers_.recv_msgs[i].msg_hdr;
      header.msg_namelen = sizeof(sockaddr_storage);
      header.msg_flags = 0;
      buffers_.recv_msgs[i].msg_len = 0;
    }
  }

  // Keeps the good datagrams of a received batch at the front of `slots`. Only after a drop
  // does a datagram move down a slot, so the common path copies nothing.
  std::size_t accept_received(std::span<Datagram> slots, std::size_t got) noexcept {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < got; ++i) {
      const mmsghdr& message = buffers_.recv_msgs[i];
      const Address from = detail::from_sockaddr(buffers_.recv_addr[i]);
      if ((message.msg_hdr.msg_flags & MSG_TRUNC) != 0 || message.msg_len > max_datagram_bytes) {
        stats_.drops.count(DropReason::too_large);
        continue;
      }
      if (from.is_none()) {
        stats_.drops.count(DropReason::malformed);
        continue;
      }
      Datagram& out = slots[kept];
      if (kept != i) std::copy_n(slots[i].data.begin(), message.msg_len, out.data.begin());
      out.from = from;
      out.size = message.msg_len;
      ++stats_.datagrams_received;
      stats_.bytes_received += message.msg_len;
      ++kept;
    }
    return kept;
  }

  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    queued_ = 0;
  }

  int fd_ = -1;
  int family_ = 0;
  Address local_;
  UdpConfig config_;
  std::size_t queued_ = 0;
  Buffers buffers_;
  TransportStats stats_;
};

}  // namespace courier
