#pragma once
/// \file
/// Udp's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/transport/udp.hpp"

namespace courier {

COURIER_DECL std::optional<Udp> Udp::open(Address bind, std::error_code& ec, UdpConfig config) {
  Opened opened = open_socket(bind, config);
  ec = opened.ec;
  if (ec) return std::nullopt;
  return Udp(opened, config);
}

COURIER_DECL std::error_code Udp::send(const Address& to, std::span<const std::byte> bytes) noexcept {
  if (fd_ < 0) return Error::not_connected;
  if (bytes.size() > max_datagram_bytes) return Error::message_too_large;
  if (to.is_websocket()) return Error::invalid_address;  // a TCP peer, never reached over UDP
  Buffers& b = buffers_;
  const socklen_t length = detail::to_sockaddr(to, family_, config_.dual_stack, b.send_addr[queued_]);
  if (length == 0) return Error::invalid_address;
  std::copy(bytes.begin(), bytes.end(), b.send_payload[queued_].begin());
  b.send_iov[queued_].iov_len = bytes.size();
  b.send_msgs[queued_].msg_hdr.msg_namelen = length;
  if (++queued_ == b.send_msgs.size()) flush();
  return {};
}

COURIER_DECL void Udp::flush() noexcept {
  std::size_t next = 0;
  if (segmenting_ && queued_ > 1) next = flush_runs(group_runs());
  flush_each(next);
}

COURIER_DECL void Udp::flush_each(std::size_t next) noexcept {
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

COURIER_DECL bool Udp::same_peer(std::size_t a, std::size_t b) const noexcept {
  const socklen_t length = buffers_.send_msgs[a].msg_hdr.msg_namelen;
  return length == buffers_.send_msgs[b].msg_hdr.msg_namelen &&
         std::memcmp(&buffers_.send_addr[a], &buffers_.send_addr[b], length) == 0;
}

COURIER_DECL std::size_t Udp::group_runs() noexcept {
  Buffers& b = buffers_;
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < queued_) {
    const std::size_t segment = b.send_iov[i].iov_len;
    Run run{i, 1};
    std::size_t bytes = segment;
    // A datagram joins while the run's last one was full-sized: only the last may be shorter.
    while (i + run.count < queued_ && run.count < max_segments &&
           b.send_iov[i + run.count - 1].iov_len == segment) {
      const std::size_t j = i + run.count;
      if (b.send_iov[j].iov_len > segment || b.send_iov[j].iov_len == 0 ||
          bytes + b.send_iov[j].iov_len > max_segmented_bytes || !same_peer(i, j)) {
        break;
      }
      bytes += b.send_iov[j].iov_len;
      ++run.count;
    }
    msghdr& header = b.run_msgs[count].msg_hdr;
    header = b.send_msgs[i].msg_hdr;  // its peer, and its iovec: the run's iovecs follow it
    header.msg_iovlen = run.count;
    header.msg_control = nullptr;
    header.msg_controllen = 0;
    if (run.count > 1) {
      header.msg_control = b.run_control[count].data();
      header.msg_controllen = b.run_control[count].size();
      cmsghdr* control = CMSG_FIRSTHDR(&header);
      control->cmsg_level = SOL_UDP;
      control->cmsg_type = UDP_SEGMENT;
      control->cmsg_len = CMSG_LEN(sizeof(std::uint16_t));
      const auto size = static_cast<std::uint16_t>(segment);
      std::memcpy(CMSG_DATA(control), &size, sizeof(size));
    }
    b.runs[count++] = run;
    i += run.count;
  }
  return count;
}

COURIER_DECL std::size_t Udp::flush_runs(std::size_t runs) noexcept {
  std::size_t next = 0;
  while (next < runs) {
    const int sent = ::sendmmsg(fd_, &buffers_.run_msgs[next], static_cast<unsigned>(runs - next), 0);
    if (sent > 0) {
      for (std::size_t k = next; k < next + static_cast<std::size_t>(sent); ++k) {
        count_sent(buffers_.runs[k].first, buffers_.runs[k].count);
        if (buffers_.runs[k].count > 1) ++segmented_messages_;
      }
      next += static_cast<std::size_t>(sent);
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      stats_.send_errors += queued_ - buffers_.runs[next].first;  // as in flush_each
      return queued_;
    } else if (buffers_.runs[next].count > 1) {
      // The kernel refused segmentation here (no support on this path, a segment above the
      // route's MTU): stop using it, and send what is left one datagram at a time.
      segmenting_ = false;
      return buffers_.runs[next].first;
    } else {
      ++stats_.send_errors;  // one plain datagram refused, as in flush_each
      ++next;
    }
  }
  return queued_;
}

COURIER_DECL bool Udp::kernel_segments(int fd) noexcept {
  int size = 0;
  socklen_t length = sizeof(size);
  return ::getsockopt(fd, SOL_UDP, UDP_SEGMENT, &size, &length) == 0;
}

COURIER_DECL std::size_t Udp::receive(std::span<Datagram> slots) noexcept {
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

COURIER_DECL Udp::Udp(const Opened& opened, const UdpConfig& config)
    : fd_(opened.fd), family_(opened.family), local_(opened.local), config_(config),
      segmenting_(config.segmentation_offload && kernel_segments(opened.fd)) {
  try {
    allocate_buffers(config.batch_size);
  } catch (...) {
    close();
    throw;
  }
}

COURIER_DECL Udp::Opened Udp::opened_or_throw(const Address& bind, const UdpConfig& config) {
  Opened opened = open_socket(bind, config);
  if (!opened.ec) return opened;
  if (opened.sys_error == 0) throw std::system_error(opened.ec, bind.to_string());
  throw std::system_error(opened.ec, std::string(opened.call) + " " + bind.to_string() + ": " +
                                         std::system_category().message(opened.sys_error));
}

COURIER_DECL Udp::Opened Udp::open_socket(const Address& bind, const UdpConfig& config) noexcept {
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

COURIER_DECL Udp::Opened Udp::fail(Opened& o, const char* call) noexcept {
  o.sys_error = errno;
  o.call = call;
  o.ec = o.sys_error == EADDRINUSE ? Error::address_in_use : Error::socket_failed;
  if (o.fd >= 0) ::close(o.fd);
  o.fd = -1;
  return o;
}

COURIER_DECL std::size_t Udp::buffer_option(int name) const noexcept {
  int value = 0;
  socklen_t length = sizeof(value);
  if (fd_ < 0 || ::getsockopt(fd_, SOL_SOCKET, name, &value, &length) != 0) return 0;
  return static_cast<std::size_t>(value);
}

COURIER_DECL void Udp::allocate_buffers(std::size_t batch) {
  Buffers& b = buffers_;
  b.send_msgs.assign(batch, mmsghdr{});
  b.send_iov.assign(batch, iovec{});
  b.send_addr.assign(batch, sockaddr_storage{});
  b.send_payload.resize(batch);
  b.recv_msgs.assign(batch, mmsghdr{});
  b.recv_iov.assign(batch, iovec{});
  b.recv_addr.assign(batch, sockaddr_storage{});
  b.run_msgs.assign(batch, mmsghdr{});
  b.runs.assign(batch, Run{});
  b.run_control.assign(batch, SegmentControl{});
  for (std::size_t i = 0; i < batch; ++i) {
    b.send_iov[i].iov_base = b.send_payload[i].data();
    wire(b.send_msgs[i].msg_hdr, b.send_addr[i], b.send_iov[i]);
    wire(b.recv_msgs[i].msg_hdr, b.recv_addr[i], b.recv_iov[i]);
  }
}

COURIER_DECL void Udp::wire(msghdr& header, sockaddr_storage& address, iovec& iov) noexcept {
  header.msg_name = &address;
  header.msg_namelen = sizeof(address);
  header.msg_iov = &iov;
  header.msg_iovlen = 1;
}

COURIER_DECL void Udp::count_sent(std::size_t first, std::size_t count) noexcept {
  for (std::size_t i = first; i < first + count; ++i) {
    ++stats_.datagrams_sent;
    stats_.bytes_sent += buffers_.send_iov[i].iov_len;
  }
}

COURIER_DECL void Udp::prepare_receive(std::span<Datagram> slots) noexcept {
  for (std::size_t i = 0; i < slots.size(); ++i) {
    buffers_.recv_iov[i].iov_base = slots[i].data.data();
    buffers_.recv_iov[i].iov_len = slots[i].data.size();
    msghdr& header = buffers_.recv_msgs[i].msg_hdr;
    header.msg_namelen = sizeof(sockaddr_storage);
    header.msg_flags = 0;
    buffers_.recv_msgs[i].msg_len = 0;
  }
}

COURIER_DECL std::size_t Udp::accept_received(std::span<Datagram> slots, std::size_t got) noexcept {
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

}  // namespace courier
