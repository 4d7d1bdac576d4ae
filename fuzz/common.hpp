#pragma once
// Shared pieces of courier's fuzz targets: a byte consumer for structured inputs, a crypto policy
// whose open always authenticates (so the fuzzer reaches what follows decryption), fixed keys,
// and FUZZ_CHECK, which aborts with a message when an invariant breaks (libFuzzer reports it as
// a crash; the replay main exits non-zero).

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>

#include <courier/crypto/crypto.hpp>
#include <courier/crypto/netcode102.hpp>

#define FUZZ_CHECK(cond)                                                                        \
  do {                                                                                          \
    if (!(cond)) {                                                                              \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);         \
      std::abort();                                                                             \
    }                                                                                           \
  } while (0)

namespace courier::fuzz {

/// Reads a fuzz input front to back; past the end everything reads as zero / empty.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) noexcept : data_(data), size_(size) {}
  [[nodiscard]] bool empty() const noexcept { return pos_ >= size_; }
  [[nodiscard]] std::size_t remaining() const noexcept { return size_ - pos_; }
  std::uint8_t u8() noexcept { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16() noexcept { return static_cast<std::uint16_t>(u8() | (u8() << 8)); }
  std::uint32_t u32() noexcept { return static_cast<std::uint32_t>(u16()) | (static_cast<std::uint32_t>(u16()) << 16); }
  std::uint64_t u64() noexcept { return static_cast<std::uint64_t>(u32()) | (static_cast<std::uint64_t>(u32()) << 32); }
  /// Up to `n` bytes (fewer at the end of the input).
  std::span<const std::byte> bytes(std::size_t n) noexcept {
    n = n < remaining() ? n : remaining();
    const auto* p = reinterpret_cast<const std::byte*>(data_ + pos_);
    pos_ += n;
    return {p, n};
  }
  /// Everything left.
  std::span<const std::byte> rest() noexcept { return bytes(remaining()); }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

/// Crypto for fuzzing only: seal appends an FNV-1a tag of the plaintext (so tokens keep distinct
/// tags, their reuse identity), open accepts any tag and copies the bytes. It lets the fuzzer
/// forge every packet and token, so the code behind decryption is reached.
struct OpenCrypto {
  static constexpr std::size_t mac_bytes = 16;
  static constexpr const char* name = "fuzz (always opens)";
  [[nodiscard]] static bool available() noexcept { return true; }
  [[nodiscard]] static bool seal(std::span<const std::byte> plain, std::span<const std::byte>, std::uint64_t,
                                 const Key&, std::span<std::byte> out) noexcept {
    return seal_any(plain, out);
  }
  [[nodiscard]] static bool open(std::span<const std::byte> cipher, std::span<const std::byte>, std::uint64_t,
                                 const Key&, std::span<std::byte> out) noexcept {
    return open_any(cipher, out);
  }
  [[nodiscard]] static bool seal_token(std::span<const std::byte> plain, std::span<const std::byte>,
                                       const TokenNonce&, const Key&, std::span<std::byte> out) noexcept {
    return seal_any(plain, out);
  }
  [[nodiscard]] static bool open_token(std::span<const std::byte> cipher, std::span<const std::byte>,
                                       const TokenNonce&, const Key&, std::span<std::byte> out) noexcept {
    return open_any(cipher, out);
  }
  static void random_bytes(std::span<std::byte> out) noexcept {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::byte>(0x5a ^ i);
  }

 private:
  static bool seal_any(std::span<const std::byte> plain, std::span<std::byte> out) noexcept {
    if (out.size() < mac_bytes || out.size() - mac_bytes != plain.size()) return false;
    const std::size_t n = out.size() - mac_bytes;  // g++ 12 -O2 cannot bound plain.size() itself
    if (n != 0 && out.data() != plain.data()) std::memmove(out.data(), plain.data(), n);
    // The tag stands in for a MAC: open_any never checks it, but the server keys its token
    // history by it, so it must differ between tokens. Hashed 8 bytes a step, not byte by byte:
    // this runs for every token an input makes and its per-byte loop was a fifth of the
    // stateful target's time under coverage instrumentation.
    std::uint64_t h[2] = {1469598103934665603ull, 0x9e3779b97f4a7c15ull};
    std::size_t i = 0;
    for (; i + 8 <= plain.size(); i += 8) mix(h, load_word(out.data() + i, 8));
    if (i < plain.size()) mix(h, load_word(out.data() + i, plain.size() - i));
    for (std::size_t j = 0; j < mac_bytes; ++j) out[plain.size() + j] = static_cast<std::byte>(h[j / 8] >> (8 * (j % 8)));
    return true;
  }
  static std::uint64_t load_word(const std::byte* p, std::size_t n) noexcept {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    return w;
  }
  static void mix(std::uint64_t (&h)[2], std::uint64_t w) noexcept {
    h[0] = (h[0] ^ w) * 1099511628211ull;
    h[1] = (h[1] ^ w) * 0xff51afd7ed558ccdull;
  }
  static bool open_any(std::span<const std::byte> cipher, std::span<std::byte> out) noexcept {
    if (cipher.size() < mac_bytes || out.size() != cipher.size() - mac_bytes) return false;
    if (!out.empty() && out.data() != cipher.data()) std::memmove(out.data(), cipher.data(), out.size());
    return true;
  }
};
static_assert(Crypto<OpenCrypto>);

inline constexpr std::uint64_t protocol_id = 0x1122334455667788ull;

/// A fixed key: byte i is `seed + i`.
inline Key fixed_key(std::uint8_t seed) noexcept {
  Key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i);
  return k;
}

}  // namespace courier::fuzz
