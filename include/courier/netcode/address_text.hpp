#pragma once
/// \file
/// Formats an Address into a caller's buffer, without allocating (Address::to_string returns a
/// std::string), for log lines written on the network path.

#include <arpa/inet.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <span>
#include <string_view>

#include "courier/transport/address.hpp"

namespace courier::netcode::detail {

/// Room for "wss://[" + the longest IPv6 text + "]:65535" and a terminator.
inline constexpr std::size_t address_text_bytes = 72;

/// `a.b.c.d:port`, `[v6]:port` (with `ws://` / `wss://` before a WebSocket link) or `none`,
/// truncated to `out`.
inline std::string_view format_address(const Address& a, std::span<char, address_text_bytes> out) noexcept {
  char host[INET6_ADDRSTRLEN] = {};
  int n = 0;
  if (a.is_ipv4()) {
    inet_ntop(AF_INET, a.bytes().data(), host, sizeof host);
    n = std::snprintf(out.data(), out.size(), "%s%s:%u", courier::detail::scheme_prefix(a.link()), host,
                      static_cast<unsigned>(a.port()));
  } else if (a.is_ipv6()) {
    inet_ntop(AF_INET6, a.bytes().data(), host, sizeof host);
    n = std::snprintf(out.data(), out.size(), "%s[%s]:%u", courier::detail::scheme_prefix(a.link()), host,
                      static_cast<unsigned>(a.port()));
  } else {
    n = std::snprintf(out.data(), out.size(), "none");
  }
  if (n < 0) return {};
  return {out.data(), std::min(static_cast<std::size_t>(n), out.size() - 1)};
}

}  // namespace courier::netcode::detail
