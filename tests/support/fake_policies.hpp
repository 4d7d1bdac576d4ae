#pragma once
// Minimal policies that satisfy courier's concepts, for testing the pack machinery on its own.
#include <courier/crypto/plaintext.hpp>
#include <courier/schema/schema.hpp>
#include <courier/transport/transport.hpp>


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

struct FakeDefaults {
  using transport = NullTransport;
  using crypto = Plaintext;
  using schema = SizeofSchema;
};

template <class... Items>
using FakePack = BasicChannelPack<FakeDefaults, Items...>;

}  // namespace courier::test
