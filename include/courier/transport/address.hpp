#pragma once
/// \file
/// Address: an IPv4 or IPv6 address with a port and a link kind. Every transport uses it
/// (Loopback endpoints have addresses too), and the netcode layer writes it into connect tokens.
///
/// The link kind says what carries datagrams to the peer: a datagram socket (UDP, the default)
/// or a WebSocket connection over TCP (RFC 6455), plain or over TLS. It takes part in ==, <=>
/// and std::hash, so a UDP peer and a TCP peer at the same ip:port are two peers. It is never
/// on the wire: netcode.io 1.02 address records carry only family, ip and port
/// (docs/PROTOCOL.md, "WebSocket"), so an address read from a token is always `datagram`.

#include <arpa/inet.h>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>  // also declares std::hash, specialised below
#include <string_view>

namespace courier {

class Address {
 public:
  enum class Family : std::uint8_t { none = 0, ipv4 = 1, ipv6 = 2 };  // = netcode address types
  /// What carries datagrams to this address: a datagram socket, or one WebSocket connection
  /// (`ws://`), or one over TLS (`wss://`).
  enum class Link : std::uint8_t { datagram = 0, websocket = 1, websocket_secure = 2 };

  /// The "none" address: family none, port 0. Never equal to a real address.
  constexpr Address() noexcept = default;

  [[nodiscard]] static constexpr Address ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                                              std::uint8_t d, std::uint16_t port) noexcept {
    Address r;
    r.family_ = Family::ipv4;
    r.bytes_ = {a, b, c, d};
    r.port_ = port;
    return r;
  }

  /// IPv6 from its eight 16-bit groups in textual order (`2001:db8::1` is {0x2001, 0xdb8, 0, ..., 1}).
  [[nodiscard]] static constexpr Address ipv6(const std::array<std::uint16_t, 8>& groups,
                                              std::uint16_t port) noexcept {
    Address r;
    r.family_ = Family::ipv6;
    for (std::size_t i = 0; i < 8; ++i) {
      r.bytes_[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
      r.bytes_[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
    }
    r.port_ = port;
    return r;
  }

  /// Parses `a.b.c.d:port`, `[v6]:port`, or a bare `a.b.c.d` / `v6` / `[v6]` (port 0), each
  /// optionally prefixed by `ws://` or `wss://` (link websocket / websocket_secure; a trailing
  /// `/` is accepted). Returns nullopt for anything else, including a port above 65535.
  [[nodiscard]] static std::optional<Address> parse(std::string_view text) noexcept;

  [[nodiscard]] constexpr Family family() const noexcept { return family_; }
  [[nodiscard]] constexpr bool is_ipv4() const noexcept { return family_ == Family::ipv4; }
  [[nodiscard]] constexpr bool is_ipv6() const noexcept { return family_ == Family::ipv6; }
  [[nodiscard]] constexpr bool is_none() const noexcept { return family_ == Family::none; }
  /// True for the wildcard 0.0.0.0 or :: (a socket bound to it listens on every interface,
  /// but nobody can dial it).
  [[nodiscard]] constexpr bool is_unspecified() const noexcept {
    if (is_none()) return false;
    for (std::size_t i = 0; i < (is_ipv4() ? 4u : 16u); ++i)
      if (bytes_[i] != 0) return false;
    return true;
  }
  [[nodiscard]] constexpr std::uint16_t port() const noexcept { return port_; }
  constexpr void set_port(std::uint16_t port) noexcept { port_ = port; }

  [[nodiscard]] constexpr Link link() const noexcept { return link_; }
  [[nodiscard]] constexpr bool is_websocket() const noexcept { return link_ != Link::datagram; }
  constexpr void set_link(Link link) noexcept { link_ = link; }
  /// The same ip:port reached over `link` (with_link(Link::datagram) is what a token holds).
  [[nodiscard]] constexpr Address with_link(Link link) const noexcept {
    Address r = *this;
    r.link_ = link;
    return r;
  }

  /// Network-order bytes: 4 used for IPv4, 16 for IPv6.
  [[nodiscard]] constexpr const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }
  [[nodiscard]] constexpr std::uint16_t ipv6_group(std::size_t i) const noexcept {
    return static_cast<std::uint16_t>((bytes_[2 * i] << 8) | bytes_[2 * i + 1]);
  }

  /// `a.b.c.d:port` or `[v6]:port` (RFC 5952 compressed form), prefixed by `ws://` or `wss://`
  /// for a WebSocket link; "none" for the none address.
  [[nodiscard]] std::string to_string() const;

  friend constexpr bool operator==(const Address&, const Address&) noexcept = default;
  /// Member by member, as a defaulted `<=>` would order them (family, port, bytes, link).
  /// Written out because the browser build's libc++ 13 has no `<=>` for std::array, which makes
  /// a defaulted one deleted there.
  friend constexpr std::strong_ordering operator<=>(const Address& a, const Address& b) noexcept {
    if (a.family_ != b.family_) return a.family_ <=> b.family_;
    if (a.port_ != b.port_) return a.port_ <=> b.port_;
    for (std::size_t i = 0; i < a.bytes_.size(); ++i)
      if (a.bytes_[i] != b.bytes_[i]) return a.bytes_[i] <=> b.bytes_[i];
    return a.link_ <=> b.link_;
  }

 private:
  Family family_ = Family::none;
  std::uint16_t port_ = 0;
  std::array<std::uint8_t, 16> bytes_{};
  Link link_ = Link::datagram;
};

namespace detail {

[[nodiscard]] inline std::optional<std::uint16_t> parse_port(std::string_view text) noexcept {
  if (text.empty() || text.size() > 5) return std::nullopt;
  std::uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

/// inet_pton wants a NUL-terminated string; copy into a bounded buffer.
[[nodiscard]] inline bool parse_host(std::string_view host, int af, void* out) noexcept {
  char buffer[INET6_ADDRSTRLEN + 1];
  if (host.empty() || host.size() >= sizeof(buffer)) return false;
  std::memcpy(buffer, host.data(), host.size());
  buffer[host.size()] = '\0';
  return inet_pton(af, buffer, out) == 1;
}

/// Strips a leading `ws://` or `wss://` (and one trailing `/`) and says which link it named.
[[nodiscard]] inline Address::Link strip_scheme(std::string_view& text) noexcept {
  Address::Link link = Address::Link::datagram;
  if (text.starts_with("ws://")) {
    link = Address::Link::websocket;
    text.remove_prefix(5);
  } else if (text.starts_with("wss://")) {
    link = Address::Link::websocket_secure;
    text.remove_prefix(6);
  }
  if (link != Address::Link::datagram && text.ends_with('/')) text.remove_suffix(1);
  return link;
}

[[nodiscard]] constexpr const char* scheme_prefix(Address::Link link) noexcept {
  switch (link) {
    case Address::Link::websocket: return "ws://";
    case Address::Link::websocket_secure: return "wss://";
    case Address::Link::datagram: break;
  }
  return "";
}

}  // namespace detail

inline std::optional<Address> Address::parse(std::string_view text) noexcept {
  const Link link = detail::strip_scheme(text);
  std::string_view host = text;
  std::uint16_t port = 0;
  int af = AF_INET;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      auto p = detail::parse_port(rest.substr(1));
      if (!p) return std::nullopt;
      port = *p;
    }
    af = AF_INET6;
  } else if (text.find(':') != text.rfind(':')) {
    af = AF_INET6;  // bare IPv6 without brackets carries no port
  } else if (const auto colon = text.find(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    auto p = detail::parse_port(text.substr(colon + 1));
    if (!p) return std::nullopt;
    port = *p;
  }
  Address r;
  r.port_ = port;
  r.link_ = link;
  if (af == AF_INET) {
    in_addr a{};
    if (!detail::parse_host(host, AF_INET, &a)) return std::nullopt;
    r.family_ = Family::ipv4;
    std::memcpy(r.bytes_.data(), &a, 4);
  } else {
    in6_addr a{};
    if (!detail::parse_host(host, AF_INET6, &a)) return std::nullopt;
    r.family_ = Family::ipv6;
    std::memcpy(r.bytes_.data(), &a, 16);
  }
  return r;
}

inline std::string Address::to_string() const {
  char buffer[INET6_ADDRSTRLEN + 1] = {};
  switch (family_) {
    case Family::ipv4:
      inet_ntop(AF_INET, bytes_.data(), buffer, sizeof(buffer));
      return detail::scheme_prefix(link_) + std::string(buffer) + ":" + std::to_string(port_);
    case Family::ipv6:
      inet_ntop(AF_INET6, bytes_.data(), buffer, sizeof(buffer));
      return detail::scheme_prefix(link_) + ("[" + std::string(buffer) + "]:") + std::to_string(port_);
    case Family::none:
      break;
  }
  return "none";
}

}  // namespace courier

/// Hash for unordered containers and open-addressing tables keyed by address.
template <>
struct std::hash<courier::Address> {
  std::size_t operator()(const courier::Address& a) const noexcept {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over link, family, port and bytes
    auto mix = [&h](std::uint8_t byte) { h = (h ^ byte) * 1099511628211ull; };
    // A datagram address hashes as before the link existed (UDP tables see no change).
    if (a.is_websocket()) mix(static_cast<std::uint8_t>(0x80 | static_cast<std::uint8_t>(a.link())));
    mix(static_cast<std::uint8_t>(a.family()));
    mix(static_cast<std::uint8_t>(a.port() >> 8));
    mix(static_cast<std::uint8_t>(a.port() & 0xff));
    const std::size_t n = a.is_ipv6() ? 16 : 4;
    for (std::size_t i = 0; i < n; ++i) mix(a.bytes()[i]);
    return static_cast<std::size_t>(h);
  }
};
