#pragma once
/// \file
/// TokenIssuer: the connect tokens a typed server makes itself — a connected client's
/// single-use reconnect tokens (short-lived, naming only this server), and the development
/// shortcut Server::issue_insecure_token.

#include <cstdint>

#include "courier/core/result.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/key.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/make_connect_token.hpp"
#include "courier/netcode/token.hpp"
#include "courier/transport/address.hpp"

namespace courier::detail {

template <class Pack>
class TokenIssuer {
 public:
  TokenIssuer(const Key& key, std::int64_t reconnect_lifetime_seconds, std::int32_t reconnect_timeout_seconds) noexcept
      : key_(key), lifetime_(reconnect_lifetime_seconds), timeout_(reconnect_timeout_seconds) {}

  /// A token for `client_id` naming only this server (its addresses, in the order given), made at `now`.
  [[nodiscard]] Result<ConnectToken> issue(std::uint64_t client_id, const netcode::AddressList& server, UnixSeconds now,
                                           const TokenOptions& options) const noexcept {
    ConnectTokenParams p;
    p.protocol_id = Pack::protocol_id;
    p.client_id = client_id;
    p.public_addresses = server;
    p.now = now;
    p.private_key = key_;
    p.options = options;
    return netcode::make_connect_token<typename Pack::crypto>(p);
  }

  /// A reconnect token: the same client id and user data, this server only, short-lived.
  [[nodiscard]] Result<ConnectToken> reconnect(std::uint64_t client_id, const netcode::UserData& user_data,
                                               const netcode::AddressList& server,
                                               UnixSeconds now) const noexcept {
    TokenOptions o;
    o.expire_seconds = lifetime_;
    o.timeout_seconds = timeout_;
    o.user_data = user_data;
    return issue(client_id, server, now, o);
  }

 private:
  Key key_;
  std::int64_t lifetime_;
  std::int32_t timeout_;
};

}  // namespace courier::detail
