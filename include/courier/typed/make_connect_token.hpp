#pragma once
/// \file
/// courier::make_connect_token<Pack>: what a token backend calls to let a player in. The
/// protocol id and the crypto come from the pack, so a token can only be made for a server
/// that can open it.
///
/// ```cpp
/// auto token = courier::make_connect_token<Game>(key, account_id, {server_address}, clock.unix_now());
/// if (!token) return http_error(500, token.error().message());
/// reply(token->bytes());   // the client calls client.connect(ConnectToken::from_bytes(body).value())
/// ```

#include <cstdint>

#include "courier/core/result.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/key.hpp"
#include "courier/netcode/address_list.hpp"
#include "courier/netcode/make_connect_token.hpp"
#include "courier/netcode/token.hpp"

namespace courier {

/// A connect token for a client of `Pack` with id `client_id`, naming `servers` (1..32, tried in
/// order), created at `now` (unix seconds). Errors: invalid_key (the all-zero key),
/// invalid_config (no servers, a none address, mismatched internal addresses),
/// crypto_unavailable.
template <class Pack>
[[nodiscard]] Result<ConnectToken> make_connect_token(const Key& key, std::uint64_t client_id,
                                                      const netcode::AddressList& servers, UnixSeconds now,
                                                      const TokenOptions& options = {}) noexcept {
  ConnectTokenParams p;
  p.protocol_id = Pack::protocol_id;
  p.client_id = client_id;
  p.public_addresses = servers;
  p.now = now;
  p.private_key = key;
  p.options = options;
  return netcode::make_connect_token<typename Pack::crypto>(p);
}

}  // namespace courier
