#pragma once
// The chat protocol, shared by chat_server, chat_client and token_service: one ChannelPack
// declares every message, its channel and the request/response pair, so the three programs
// cannot disagree about the wire. The pack's protocol id (a hash of all of it) goes into the
// connect tokens the token service issues; a client or server built from another version of
// this file is refused at connect time.

#include <courier/courier.hpp>

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

/// The environment variable the programs read the shared private key from (64 hex digits)
/// when it is not given with --private-key: a key on a command line is visible in `ps`.
inline constexpr const char* key_variable = "COURIER_CHAT_PRIVATE_KEY";

/// The private key from `hex`, or from the environment when `hex` is empty.
[[nodiscard]] inline courier::Result<courier::Key> read_key(std::string_view hex) {
  const char* env = std::getenv(key_variable);
  return courier::Key::from_hex(!hex.empty() ? hex : env != nullptr ? env : "");
}

}  // namespace chat
