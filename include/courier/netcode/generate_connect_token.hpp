#pragma once
/// \file
/// `courier::generate_connect_token`: what a web backend calls to issue a netcode.io 1.02 connect
/// token (the equivalent of the reference's `netcode_generate_connect_token`). The token goes
/// to the client over HTTPS; the client dials the public addresses, the server matches itself
/// against the internal ones.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <system_error>

#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/crypto/netcode102.hpp"
#include "courier/netcode/address_list.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/constants.hpp"

namespace courier {

/// Everything a connect token is made of, except the random parts (nonce and the two keys).
struct ConnectTokenParams {
  std::uint64_t protocol_id = 0;
  std::uint64_t client_id = 0;
  netcode::AddressList public_addresses;    ///< 1..32, tried by the client in this order
  netcode::AddressList internal_addresses;  ///< empty: same as public (else same count)
  UnixSeconds now = 0;                      ///< create timestamp
  std::int64_t expire_seconds = 30;         ///< < 0: never expires (0xFFFFFFFFFFFFFFFF)
  std::int32_t timeout_seconds = 5;         ///< <= 0 disables timeouts (development only)
  Key private_key{};                        ///< shared by the backend and the servers
  netcode::UserData user_data{};
};

/// Writes a 2048-byte connect token into `out`. The nonce, then the client-to-server key, then
/// the server-to-client key are drawn from `C::random_bytes`, in that order (as the reference
/// does). Errors: Error::invalid_config for an empty, oversized or mismatched address list or a
/// none address; Error::crypto_unavailable / crypto_failed from the crypto policy.
template <Crypto C = Netcode102>
[[nodiscard]] std::error_code generate_connect_token(const ConnectTokenParams& params,
                                                     std::span<std::byte, netcode::connect_token_bytes> out) noexcept {
  const auto& internal = params.internal_addresses.empty() ? params.public_addresses : params.internal_addresses;
  if (params.public_addresses.empty() || internal.size() != params.public_addresses.size())
    return Error::invalid_config;
  if (!C::available()) return Error::crypto_unavailable;
  netcode::ConnectToken token;
  token.protocol_id = params.protocol_id;
  token.create_timestamp = params.now;
  token.expire_timestamp = params.expire_seconds < 0
                               ? ~UnixSeconds{0}
                               : params.now + static_cast<UnixSeconds>(params.expire_seconds);
  token.timeout_seconds = params.timeout_seconds;
  token.server_addresses = params.public_addresses;
  C::random_bytes(std::as_writable_bytes(std::span(token.nonce)));
  C::random_bytes(std::as_writable_bytes(std::span(token.client_to_server_key)));
  C::random_bytes(std::as_writable_bytes(std::span(token.server_to_client_key)));

  netcode::ConnectTokenPrivate priv;
  priv.client_id = params.client_id;
  priv.timeout_seconds = params.timeout_seconds;
  priv.server_addresses = internal;
  priv.client_to_server_key = token.client_to_server_key;
  priv.server_to_client_key = token.server_to_client_key;
  priv.user_data = params.user_data;
  if (!netcode::write_private_token(priv, token.private_data)) return Error::invalid_config;
  if (!netcode::encrypt_private_token<C>(token.private_data, token.protocol_id,
                                         token.expire_timestamp, token.nonce, params.private_key))
    return Error::crypto_failed;
  if (!netcode::write_connect_token(token, out)) return Error::invalid_config;
  return {};
}

}  // namespace courier
