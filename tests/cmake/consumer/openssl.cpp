// Uses courier::openssl as an application would: a packet sealed by OpenSSL's cipher opens with
// libsodium's (the same netcode.io 1.02 bytes).
#include <courier/crypto/netcode102.hpp>
#include <courier/crypto/netcode102_openssl.hpp>

#include <array>
#include <cstddef>
#include <cstdio>

int main() {
  const auto key = courier::Key::random();
  const std::array<std::byte, 3> plain{std::byte{1}, std::byte{2}, std::byte{3}};
  std::array<std::byte, 3 + courier::Netcode102OpenSsl::mac_bytes> sealed{};
  std::array<std::byte, 3> opened{};
  if (!courier::Netcode102OpenSsl::seal(plain, {}, 7, key, sealed) ||
      !courier::Netcode102::open(sealed, {}, 7, key, opened) || opened != plain) {
    std::puts("consumer_openssl: the two ciphers disagree");
    return 1;
  }
  std::puts("consumer_openssl: courier::openssl is usable");
  return 0;
}
