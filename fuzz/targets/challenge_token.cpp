// Fuzz target: challenge tokens. The input is a sequence number, a bit to flip and 300 bytes.
// The bytes are opened as an encrypted token (no crash, whatever they are); the first 284 read as a plaintext token seal and open back to the same fields,
// and the sealed token with one flipped bit, or opened under another sequence, is refused.
#include <array>
#include <cstddef>
#include <cstdint>

#include <courier/core/byte_cursor.hpp>
#include <courier/netcode/challenge_token.hpp>

#include "common.hpp"

namespace nc = courier::netcode;
using namespace courier::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  const std::uint64_t sequence = in.u64();
  const std::uint16_t flip = in.u16();
  nc::EncryptedChallengeToken raw{};
  const auto body = in.bytes(raw.size());
  std::copy(body.begin(), body.end(), raw.begin());
  const courier::Key key = fixed_key(0x77);
  (void)nc::decrypt_challenge_token<courier::Netcode102>(raw, sequence, key);  // must not crash

  nc::ChallengeToken t;
  courier::detail::ByteReader r{std::span<const std::byte>(raw).first(nc::challenge_token_plaintext_bytes)};
  t.client_id = r.u64();
  r.bytes(t.user_data.data(), t.user_data.size());
  nc::EncryptedChallengeToken sealed{};
  nc::write_challenge_token(t, sealed);
  FUZZ_CHECK(nc::encrypt_challenge_token<courier::Netcode102>(sealed, sequence, key));
  const auto opened = nc::decrypt_challenge_token<courier::Netcode102>(sealed, sequence, key);
  FUZZ_CHECK(opened && opened->client_id == t.client_id && opened->user_data == t.user_data);
  FUZZ_CHECK(!nc::decrypt_challenge_token<courier::Netcode102>(sealed, sequence + 1, key));
  sealed[(flip / 8) % sealed.size()] ^= static_cast<std::byte>(1u << (flip % 8));
  FUZZ_CHECK(!nc::decrypt_challenge_token<courier::Netcode102>(sealed, sequence, key));
  return 0;
}
