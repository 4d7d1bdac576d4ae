#pragma once
/// \file
/// Netcode102OpenSsl: the netcode.io 1.02 wire of Netcode102, with the packet AEAD
/// (ChaCha20-Poly1305-IETF) computed by OpenSSL's libcrypto instead of libsodium. The bytes on
/// the wire are identical, so a peer running either policy (or any netcode.io 1.02
/// implementation) interoperates, and the reference vectors hold unchanged. Why a second
/// implementation of one cipher: OpenSSL 3's assembly is about twice as fast as libsodium
/// 1.0.18 on full-size packets, where the cipher is the end-to-end limit once system calls are
/// batched; below a few hundred bytes its per-call setup makes it no faster (docs/PERFORMANCE.md,
/// "Packet AEAD: libsodium and OpenSSL"). Connect tokens (XChaCha20-Poly1305, which OpenSSL does
/// not offer) and the random source stay with libsodium.
///
/// Needs OpenSSL 3 (libcrypto): link `courier::openssl` instead of `courier::courier`.

#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "courier/crypto/crypto.hpp"
#include "courier/crypto/netcode102.hpp"
#include "courier/crypto/sodium.hpp"  // detail::uc: both libraries take unsigned char*

static_assert(OPENSSL_VERSION_MAJOR >= 3, "Netcode102OpenSsl needs OpenSSL 3 (EVP_CIPHER_fetch)");

namespace courier {

namespace detail {

/// OpenSSL's ChaCha20-Poly1305, fetched once per process (fetching on every packet would
/// take a lock and a provider lookup each time). Null when the provider does not offer it.
[[nodiscard]] inline EVP_CIPHER* openssl_chacha20_poly1305() noexcept {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr);
  return cipher;
}

/// One encrypting and one decrypting cipher context per thread, bound to the cipher once:
/// per packet only the key and nonce are set, and no packet allocates.
class OpenSslAeadContexts {
 public:
  OpenSslAeadContexts() noexcept {
    EVP_CIPHER* cipher = openssl_chacha20_poly1305();
    if (cipher == nullptr || seal_ == nullptr || open_ == nullptr) return;
    ready_ = EVP_EncryptInit_ex2(seal_, cipher, nullptr, nullptr, nullptr) == 1 &&
             EVP_DecryptInit_ex2(open_, cipher, nullptr, nullptr, nullptr) == 1;
  }
  ~OpenSslAeadContexts() {
    EVP_CIPHER_CTX_free(seal_);
    EVP_CIPHER_CTX_free(open_);
  }
  OpenSslAeadContexts(const OpenSslAeadContexts&) = delete;
  OpenSslAeadContexts& operator=(const OpenSslAeadContexts&) = delete;

  [[nodiscard]] bool ready() const noexcept { return ready_; }
  [[nodiscard]] EVP_CIPHER_CTX* seal() const noexcept { return seal_; }
  [[nodiscard]] EVP_CIPHER_CTX* open() const noexcept { return open_; }

  /// This thread's contexts.
  [[nodiscard]] static OpenSslAeadContexts& local() noexcept {
    thread_local OpenSslAeadContexts contexts;
    return contexts;
  }

 private:
  EVP_CIPHER_CTX* seal_ = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX* open_ = EVP_CIPHER_CTX_new();
  bool ready_ = false;
};

/// libcrypto counts in int: a span that does not fit is refused rather than cut.
[[nodiscard]] inline bool fits_int(std::span<const std::byte> s) noexcept {
  return s.size() <= static_cast<std::size_t>(INT_MAX);
}

}  // namespace detail

/// netcode.io 1.02 crypto with OpenSSL's ChaCha20-Poly1305 for packets.
struct Netcode102OpenSsl {
  static constexpr std::size_t mac_bytes = 16;
  static constexpr const char* name = "netcode-1.02 (chacha20-poly1305, OpenSSL)";

  /// libsodium initialised (tokens, random bytes) and OpenSSL offers ChaCha20-Poly1305.
  [[nodiscard]] static bool available() noexcept {
    return Netcode102::available() && detail::OpenSslAeadContexts::local().ready();
  }

  /// ChaCha20-Poly1305-IETF with the netcode packet nonce: the bytes Netcode102::seal writes.
  [[nodiscard]] static bool seal(std::span<const std::byte> plain, std::span<const std::byte> ad,
                                 std::uint64_t sequence, const Key& key,
                                 std::span<std::byte> out) noexcept {
    if (!detail::aead_sizes_ok(plain, out, plain.size() + mac_bytes)) return false;
    if (!detail::fits_int(out) || !detail::fits_int(ad)) return false;
    auto& contexts = detail::OpenSslAeadContexts::local();
    if (!contexts.ready()) return false;
    EVP_CIPHER_CTX* ctx = contexts.seal();
    const auto nonce = detail::packet_nonce(sequence);
    int written = 0;
    int tail = 0;
    const bool ok = EVP_EncryptInit_ex2(ctx, nullptr, key.data(), nonce.data(), nullptr) == 1 &&
                    (ad.empty() || EVP_EncryptUpdate(ctx, nullptr, &written, detail::uc(ad),
                                                     static_cast<int>(ad.size())) == 1) &&
                    EVP_EncryptUpdate(ctx, detail::uc(out), &written, detail::uc(plain),
                                      static_cast<int>(plain.size())) == 1 &&
                    EVP_EncryptFinal_ex(ctx, detail::uc(out) + written, &tail) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(mac_bytes),
                                        detail::uc(out) + plain.size()) == 1;
    return ok;
  }

  /// Opens what either Netcode102 policy sealed; false on any authentication failure, and then
  /// `out` is zeroed (libcrypto decrypts before it checks the tag; no unauthenticated byte is
  /// left behind).
  [[nodiscard]] static bool open(std::span<const std::byte> cipher, std::span<const std::byte> ad,
                                 std::uint64_t sequence, const Key& key,
                                 std::span<std::byte> out) noexcept {
    if (cipher.size() < mac_bytes) return false;
    if (!detail::aead_sizes_ok(cipher, out, cipher.size() - mac_bytes)) return false;
    if (!detail::fits_int(cipher) || !detail::fits_int(ad)) return false;
    auto& contexts = detail::OpenSslAeadContexts::local();
    if (!contexts.ready()) return false;
    EVP_CIPHER_CTX* ctx = contexts.open();
    std::array<unsigned char, mac_bytes> tag{};
    std::memcpy(tag.data(), detail::uc(cipher) + out.size(), mac_bytes);  // before `out` may overwrite it
    const auto nonce = detail::packet_nonce(sequence);
    int written = 0;
    int tail = 0;
    const bool ok = EVP_DecryptInit_ex2(ctx, nullptr, key.data(), nonce.data(), nullptr) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(mac_bytes),
                                        tag.data()) == 1 &&
                    (ad.empty() || EVP_DecryptUpdate(ctx, nullptr, &written, detail::uc(ad),
                                                     static_cast<int>(ad.size())) == 1) &&
                    EVP_DecryptUpdate(ctx, detail::uc(out), &written, detail::uc(cipher),
                                      static_cast<int>(out.size())) == 1 &&
                    EVP_DecryptFinal_ex(ctx, detail::uc(out) + written, &tail) == 1;
    if (!ok && !out.empty()) std::memset(out.data(), 0, out.size());
    return ok;
  }

  /// Connect tokens are libsodium's XChaCha20-Poly1305, exactly as in Netcode102.
  [[nodiscard]] static bool seal_token(std::span<const std::byte> plain,
                                       std::span<const std::byte> ad, const TokenNonce& nonce,
                                       const Key& key, std::span<std::byte> out) noexcept {
    return Netcode102::seal_token(plain, ad, nonce, key, out);
  }

  /// Opens a token sealed by either Netcode102 policy.
  [[nodiscard]] static bool open_token(std::span<const std::byte> cipher,
                                       std::span<const std::byte> ad, const TokenNonce& nonce,
                                       const Key& key, std::span<std::byte> out) noexcept {
    return Netcode102::open_token(cipher, ad, nonce, key, out);
  }

  /// libsodium's CSPRNG.
  static void random_bytes(std::span<std::byte> out) noexcept { Netcode102::random_bytes(out); }
};

}  // namespace courier
