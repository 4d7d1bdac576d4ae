// Fuzz target: connect tokens. The first byte picks the part:
//  even — the public 2048-byte token as a client parses it (read_connect_token): a token that
//         parses writes back (write_connect_token) and parses again to the same fields, and the
//         written bytes are a fixed point (write(read(write(read(x))))) == write(read(x))).
//  odd  — the private token: its 1008-byte plaintext parsed as a server does after decryption
//         (read_private_token), the same round trip, then sealed with Netcode102 and opened
//         again (equal bytes), and any single flipped bit (chosen by the input) refused.
#include <array>
#include <cstddef>
#include <cstdint>

#include <courier/netcode/connect_token.hpp>

#include "common.hpp"

namespace nc = courier::netcode;
using namespace courier::fuzz;

namespace {

bool same(const nc::ConnectTokenContents& a, const nc::ConnectTokenContents& b) {
  return a.protocol_id == b.protocol_id && a.create_timestamp == b.create_timestamp &&
         a.expire_timestamp == b.expire_timestamp && a.nonce == b.nonce && a.private_data == b.private_data &&
         a.timeout_seconds == b.timeout_seconds && a.server_addresses == b.server_addresses &&
         a.client_to_server_key == b.client_to_server_key && a.server_to_client_key == b.server_to_client_key;
}

bool same(const nc::ConnectTokenPrivate& a, const nc::ConnectTokenPrivate& b) {
  return a.client_id == b.client_id && a.timeout_seconds == b.timeout_seconds &&
         a.server_addresses == b.server_addresses && a.client_to_server_key == b.client_to_server_key &&
         a.server_to_client_key == b.server_to_client_key && a.user_data == b.user_data;
}

void public_token(Input& in) {
  std::array<std::byte, nc::connect_token_bytes> raw{};
  const auto body = in.bytes(raw.size());
  std::copy(body.begin(), body.end(), raw.begin());
  // Short inputs also go through as they are (the reader must refuse every size but 2048).
  FUZZ_CHECK(!nc::read_connect_token(body) || body.size() == nc::connect_token_bytes);
  const auto t = nc::read_connect_token(raw);
  if (!t) return;
  FUZZ_CHECK(t->create_timestamp <= t->expire_timestamp);
  std::array<std::byte, nc::connect_token_bytes> once{};
  FUZZ_CHECK(nc::write_connect_token(*t, once));
  const auto t2 = nc::read_connect_token(once);
  FUZZ_CHECK(t2 && same(*t, *t2));
  std::array<std::byte, nc::connect_token_bytes> twice{};
  FUZZ_CHECK(nc::write_connect_token(*t2, twice));
  FUZZ_CHECK(once == twice);
}

void private_token(Input& in) {
  const std::uint16_t flip = in.u16();
  std::array<std::byte, nc::private_token_plaintext_bytes> plain{};
  const auto body = in.bytes(plain.size());
  std::copy(body.begin(), body.end(), plain.begin());
  const auto t = nc::read_private_token(plain);
  if (!t) return;
  nc::EncryptedPrivateToken buffer{};
  FUZZ_CHECK(nc::write_private_token(*t, buffer));
  const auto t2 = nc::read_private_token(std::span(buffer).first<nc::private_token_plaintext_bytes>());
  FUZZ_CHECK(t2 && same(*t, *t2));
  const auto written = buffer;
  const courier::Key key = fixed_key(0x40);
  courier::TokenNonce nonce{};
  nonce[0] = 7;
  FUZZ_CHECK(nc::encrypt_private_token<courier::Netcode102>(buffer, protocol_id, 5000, nonce, key));
  std::array<std::byte, nc::private_token_plaintext_bytes> opened{};
  FUZZ_CHECK(nc::decrypt_private_token<courier::Netcode102>(buffer, protocol_id, 5000, nonce, key, opened));
  FUZZ_CHECK(std::equal(opened.begin(), opened.end(), written.begin()));
  buffer[(flip / 8) % buffer.size()] ^= static_cast<std::byte>(1u << (flip % 8));
  FUZZ_CHECK(!nc::decrypt_private_token<courier::Netcode102>(buffer, protocol_id, 5000, nonce, key, opened));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  if (in.u8() & 1)
    private_token(in);
  else
    public_token(in);
  return 0;
}
