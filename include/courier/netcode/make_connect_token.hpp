#pragma once
/// \file
/// Issuing netcode.io 1.02 connect tokens (what a web backend does; the netcode.io 1.02
/// standard, "Generating a connect token"). Typed code calls make_connect_token<Pack>
/// (typed/make_connect_token.hpp), which takes the protocol id and crypto from the pack; this
/// is the layer below it, for raw netcode servers and the `courier-token` tool.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "courier/core/config.hpp"
#include "courier/core/error.hpp"
#include "courier/core/result.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/crypto/netcode102.hpp"
#include "courier/netcode/address_list.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/netcode/token.hpp"

namespace courier {

/// What a token carries besides its client id and servers. Defaults suit a game.
struct TokenOptions {
  std::int64_t expire_seconds = 30;         ///< < 0: never expires (0xFFFFFFFFFFFFFFFF)
  std::int32_t timeout_seconds = 5;         ///< <= 0 disables timeouts (development only)
  netcode::UserData user_data{};            ///< 256 bytes the server reads (e.g. an account id)
  netcode::AddressList internal_addresses;  ///< empty: the servers' own (else one per server)
};

/// Everything a connect token is made of, except the random parts (nonce and the two keys).
struct ConnectTokenParams {
  std::uint64_t protocol_id = 0;
  std::uint64_t client_id = 0;
  netcode::AddressList public_addresses;    ///< 1..32, tried by the client in this order
  UnixSeconds now = 0;                      ///< create timestamp
  Key private_key{};                        ///< shared by the backend and the servers
  TokenOptions options{};
};

namespace netcode {

/// A sealed connect token. The nonce, then the client-to-server key, then the server-to-client
/// key are drawn from `C::random_bytes`, in that order (as the reference does). Errors:
/// invalid_key (the all-zero key), invalid_config (an empty, oversized or mismatched address
/// list, or a none address), crypto_unavailable / crypto_failed from the crypto policy.
template <Crypto C = Netcode102>
[[nodiscard]] Result<ConnectToken> make_connect_token(const ConnectTokenParams& params) noexcept {
  const TokenOptions& o = params.options;
  const auto& internal = o.internal_addresses.empty() ? params.public_addresses : o.internal_addresses;
  if (params.private_key.is_zero()) return Error::invalid_key;
  if (params.public_addresses.empty() || internal.size() != params.public_addresses.size())
    return Error::invalid_config;
  if (!C::available()) return Error::crypto_unavailable;
  netcode::ConnectTokenContents token;
  token.protocol_id = params.protocol_id;
  token.create_timestamp = params.now;
  token.expire_timestamp =
      o.expire_seconds < 0 ? ~UnixSeconds{0} : params.now + static_cast<UnixSeconds>(o.expire_seconds);
  token.timeout_seconds = o.timeout_seconds;
  token.server_addresses = params.public_addresses;
  C::random_bytes(std::as_writable_bytes(std::span(token.nonce)));
  C::random_bytes(std::as_writable_bytes(std::span(token.client_to_server_key)));
  C::random_bytes(std::as_writable_bytes(std::span(token.server_to_client_key)));

  netcode::ConnectTokenPrivate priv;
  priv.client_id = params.client_id;
  priv.timeout_seconds = o.timeout_seconds;
  priv.server_addresses = internal;
  priv.client_to_server_key = token.client_to_server_key;
  priv.server_to_client_key = token.server_to_client_key;
  priv.user_data = o.user_data;
  if (!netcode::write_private_token(priv, token.private_data)) return Error::invalid_config;
  if (!netcode::encrypt_private_token<C>(token.private_data, token.protocol_id, token.expire_timestamp,
                                         token.nonce, params.private_key))
    return Error::crypto_failed;
  std::array<std::byte, connect_token_bytes> out{};
  if (!netcode::write_connect_token(token, out)) return Error::invalid_config;
  return ConnectToken::from_bytes(out);
}

#if defined(COURIER_SEPARATE_COMPILATION)
// The usual crypto's token maker, compiled once by courier/impl/src.hpp (core/config.hpp).
extern template Result<ConnectToken> make_connect_token<Netcode102>(const ConnectTokenParams&) noexcept;
#endif

}  // namespace netcode
}  // namespace courier
