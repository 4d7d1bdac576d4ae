#pragma once
// Minimal policies that satisfy courier's concepts, for testing the pack machinery on its own.
#include <courier/crypto/crypto.hpp>
#include <courier/schema/schema.hpp>
#include <courier/transport/transport.hpp>

#include <cstring>

namespace courier::test {

/// A schema whose worst case is sizeof(T); enough to exercise the pack's size rule.
struct SizeofSchema {
  template <class T>
  static constexpr std::size_t max_bytes = sizeof(T);
  template <class T>
  static EncodeResult encode(const T&, std::span<std::byte>) noexcept { return {sizeof(T), {}}; }
  template <class T>
  static std::error_code decode(std::span<const std::byte>, T&) noexcept { return {}; }
  template <class T>
  static std::size_t measure(const T&) noexcept { return sizeof(T); }
};

/// A transport that sends nowhere and receives nothing.
struct NullTransport {
  std::error_code send(const Address&, std::span<const std::byte>) noexcept { return {}; }
  void flush() noexcept {}
  std::size_t receive(std::span<Datagram>) noexcept { return 0; }
  void update(TimePoint) noexcept {}
  Address local_address() const noexcept { return {}; }
};

/// Copies plaintext and appends no tag: only for pack tests.
struct NullCrypto {
  static constexpr std::size_t mac_bytes = 0;
  static constexpr const char* name = "null";
  static bool available() noexcept { return true; }
  static bool seal(std::span<const std::byte> in, std::span<const std::byte>, std::uint64_t,
                   const Key&, std::span<std::byte> out) noexcept {
    if (out.size() != in.size()) return false;
    if (!in.empty()) std::memcpy(out.data(), in.data(), in.size());
    return true;
  }
  static bool open(std::span<const std::byte> in, std::span<const std::byte> ad, std::uint64_t n,
                   const Key& k, std::span<std::byte> out) noexcept {
    return seal(in, ad, n, k, out);
  }
};

struct FakeDefaults {
  using transport = NullTransport;
  using crypto = NullCrypto;
  using schema = SizeofSchema;
};

template <class... Items>
using FakePack = BasicChannelPack<FakeDefaults, Items...>;

}  // namespace courier::test
