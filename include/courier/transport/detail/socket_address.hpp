#pragma once
/// \file
/// Conversions between courier::Address and the BSD sockaddr records, used by Udp. Dual-stack
/// rule: an IPv4 destination on an IPv6 socket becomes the IPv4-mapped `::ffff:a.b.c.d`, and a
/// mapped source reads back as a plain IPv4 Address, so callers see one address per peer.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "courier/transport/address.hpp"

namespace courier::detail {

/// The first 12 bytes of an IPv4-mapped IPv6 address (RFC 4291 2.5.5.2).
inline constexpr std::uint8_t ipv4_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/// Writes `address` into `out` for a socket of family `socket_family` (AF_INET or AF_INET6).
/// Returns the record's length, or 0 when the address cannot be reached from that socket
/// (none, IPv6 on an IPv4 socket, IPv4 on an IPv6-only socket).
[[nodiscard]] inline socklen_t to_sockaddr(const Address& address, int socket_family,
                                           bool map_ipv4, sockaddr_storage& out) noexcept {
  std::memset(&out, 0, sizeof(out));
  if (socket_family == AF_INET && address.is_ipv4()) {
    auto& sin = reinterpret_cast<sockaddr_in&>(out);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(address.port());
    std::memcpy(&sin.sin_addr, address.bytes().data(), 4);
    return sizeof(sockaddr_in);
  }
  if (socket_family != AF_INET6 || address.is_none() || (address.is_ipv4() && !map_ipv4)) return 0;
  auto& sin6 = reinterpret_cast<sockaddr_in6&>(out);
  sin6.sin6_family = AF_INET6;
  sin6.sin6_port = htons(address.port());
  if (address.is_ipv6()) {
    std::memcpy(&sin6.sin6_addr, address.bytes().data(), 16);
  } else {
    std::memcpy(&sin6.sin6_addr, ipv4_mapped_prefix, 12);
    std::memcpy(reinterpret_cast<std::uint8_t*>(&sin6.sin6_addr) + 12, address.bytes().data(), 4);
  }
  return sizeof(sockaddr_in6);
}

/// Reads a sockaddr record; IPv4-mapped IPv6 becomes IPv4. Unknown families give the none
/// address, which the caller drops.
[[nodiscard]] inline Address from_sockaddr(const sockaddr_storage& in) noexcept {
  if (in.ss_family == AF_INET) {
    const auto& sin = reinterpret_cast<const sockaddr_in&>(in);
    std::uint8_t b[4];
    std::memcpy(b, &sin.sin_addr, 4);
    return Address::ipv4(b[0], b[1], b[2], b[3], ntohs(sin.sin_port));
  }
  if (in.ss_family != AF_INET6) return {};
  const auto& sin6 = reinterpret_cast<const sockaddr_in6&>(in);
  std::uint8_t b[16];
  std::memcpy(b, &sin6.sin6_addr, 16);
  const std::uint16_t port = ntohs(sin6.sin6_port);
  if (std::equal(b, b + 12, ipv4_mapped_prefix)) return Address::ipv4(b[12], b[13], b[14], b[15], port);
  std::array<std::uint16_t, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) {
    groups[i] = static_cast<std::uint16_t>((b[2 * i] << 8) | b[2 * i + 1]);
  }
  return Address::ipv6(groups, port);
}

}  // namespace courier::detail
