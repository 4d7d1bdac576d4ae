#pragma once
// The chat protocol, shared by chat_server, chat_client and token_service: one ChannelPack
// declares every message, its channel and the request/response pair, so the three programs
// cannot disagree about the wire. The pack's protocol id (a hash of all of it) goes into the
// connect tokens the token service issues; a client or server built from another version of
// this file is refused at connect time.

#include <courier/core/hex.hpp>
#include <courier/netcode/generate_connect_token.hpp>
#include <courier/pack.hpp>
#include <courier/schema/bounded_string.hpp>
#include <courier/schema/bounded_vector.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace chat {

inline constexpr std::size_t max_name = 24;
inline constexpr std::size_t max_text = 200;
inline constexpr std::size_t max_listed = 32;

/// The connect message: every (re)connect carries the user's name.
struct Hello {
  courier::BoundedString<max_name> name;
};

/// Client → server: a line the user typed.
struct Say {
  courier::BoundedString<max_text> text;
};

/// Server → every client: a line somebody said (the sender included, as an echo).
struct Said {
  std::uint64_t from = 0;  ///< the sender's client id
  courier::BoundedString<max_name> name;
  courier::BoundedString<max_text> text;
};

/// Server → every client: somebody joined or left.
struct Notice {
  courier::BoundedString<max_text> text;
};

/// Request: who is connected? Answered with Online.
struct WhoIsOnline {
  std::uint8_t unused = 0;  // a message needs one field
};

struct Member {
  std::uint64_t client_id = 0;
  courier::BoundedString<max_name> name;
};

struct Online {
  courier::BoundedVector<Member, max_listed> members;
  std::uint32_t total = 0;  ///< may exceed what fits in `members`
};

using Pack = courier::ChannelPack<
    courier::Version<"courier chat 1">,
    courier::Channel<"chat", courier::ReliableOrdered, Say, Said, Notice>,
    courier::Request<WhoIsOnline, Online>,
    courier::ConnectMessage<Hello>>;

using Token = std::array<std::byte, courier::netcode::connect_token_bytes>;

/// The environment variable the programs read the shared private key from (64 hex digits)
/// when it is not given with --private-key: a key on a command line is visible in `ps`.
inline constexpr const char* key_variable = "COURIER_CHAT_PRIVATE_KEY";

/// Parses the private key from `hex`, or from the environment when `hex` is empty.
[[nodiscard]] inline bool read_key(std::string_view hex, courier::Key& key) {
  if (hex.empty()) {
    const char* env = std::getenv(key_variable);
    if (env == nullptr) return false;
    hex = env;
  }
  return courier::parse_hex(hex, key);
}

/// What the token service (or a client in standalone mode) needs to issue a connect token.
struct TokenIssuer {
  courier::Key private_key{};
  courier::Address server;            ///< the chat server's public address
  std::int64_t expire_seconds = 30;   ///< short: the client uses the token at once
  std::int32_t timeout_seconds = 5;

  [[nodiscard]] std::error_code issue(std::uint64_t client_id, courier::UnixSeconds now, Token& out) const {
    courier::ConnectTokenParams p;
    p.protocol_id = Pack::protocol_id;
    p.client_id = client_id;
    p.public_addresses = {server};
    p.now = now;
    p.expire_seconds = expire_seconds;
    p.timeout_seconds = timeout_seconds;
    p.private_key = private_key;
    return courier::generate_connect_token(p, out);
  }
};

}  // namespace chat
