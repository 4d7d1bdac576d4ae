#pragma once
/// \file
/// courier::ConnectToken: the 2048 bytes of a netcode.io 1.02 connect token, as a backend hands
/// them to a client (docs/PROTOCOL.md Part 1). To the client they are opaque: it reads only the
/// public part (which servers to dial, for which protocol id); the private part is sealed with
/// the key the backend and the servers share.

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>

#include "courier/core/error.hpp"
#include "courier/core/result.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/constants.hpp"

namespace courier {

class ConnectToken {
 public:
  static constexpr std::size_t size = netcode::connect_token_bytes;

  /// Checks that `bytes` are a whole connect token whose public part parses (version, address
  /// list); the private part can only be checked by a server. Error: invalid_connect_token.
  [[nodiscard]] static Result<ConnectToken> from_bytes(std::span<const std::byte> bytes) noexcept {
    if (bytes.size() != size || !netcode::read_connect_token(bytes)) return Error::invalid_connect_token;
    ConnectToken t;
    std::copy(bytes.begin(), bytes.end(), t.bytes_.begin());
    return t;
  }

  /// The token as it travels (to a client over HTTPS, or to a file).
  [[nodiscard]] std::span<const std::byte, size> bytes() const noexcept { return bytes_; }
  /// The protocol id the token was issued for (the pack's, for typed clients).
  [[nodiscard]] std::uint64_t protocol_id() const noexcept { return contents().protocol_id; }
  /// The servers the client tries, in order.
  [[nodiscard]] netcode::AddressList server_addresses() const noexcept { return contents().server_addresses; }
  /// When the token was made and when it expires (unix seconds; all ones: never).
  [[nodiscard]] UnixSeconds create_timestamp() const noexcept { return contents().create_timestamp; }
  [[nodiscard]] UnixSeconds expire_timestamp() const noexcept { return contents().expire_timestamp; }

  friend bool operator==(const ConnectToken&, const ConnectToken&) = default;

 private:
  ConnectToken() = default;  // only from_bytes makes one: every ConnectToken parses

  [[nodiscard]] netcode::ConnectTokenContents contents() const noexcept { return *netcode::read_connect_token(bytes_); }

  std::array<std::byte, size> bytes_{};
};

}  // namespace courier
