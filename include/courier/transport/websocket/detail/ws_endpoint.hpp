#pragma once
/// \file
/// The Boost.Asio / Boost.Beast names the WebSocket transports use, and conversions between
/// courier::Address and Asio's TCP endpoints (IPv4-mapped IPv6 peers read back as IPv4, as
/// with Udp, so one peer has one address).

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "courier/transport/address.hpp"
#include "courier/transport/detail/socket_address.hpp"

namespace courier::detail::ws {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

/// A WebSocket over plain TCP (ws://) and over TLS over TCP (wss://).
using PlainStream = websocket::stream<tcp::socket>;
using TlsStream = websocket::stream<beast::ssl_stream<tcp::socket>>;

/// The peer of an accepted or dialled connection, with the link it came over.
[[nodiscard]] inline Address to_address(const tcp::endpoint& e, Address::Link link) noexcept {
  sockaddr_storage storage{};
  std::memcpy(&storage, e.data(), std::min<std::size_t>(e.size(), sizeof(storage)));
  Address a = from_sockaddr(storage);
  a.set_link(link);
  return a;
}

/// The TCP endpoint of an address (its link is not part of it); none gives 0.0.0.0:0.
[[nodiscard]] inline tcp::endpoint to_endpoint(const Address& a) noexcept {
  if (a.is_ipv6()) {
    net::ip::address_v6::bytes_type b{};
    std::copy_n(a.bytes().begin(), 16, b.begin());
    return {net::ip::address_v6(b), a.port()};
  }
  net::ip::address_v4::bytes_type b{};
  std::copy_n(a.bytes().begin(), 4, b.begin());
  return {net::ip::address_v4(b), a.port()};
}

}  // namespace courier::detail::ws
