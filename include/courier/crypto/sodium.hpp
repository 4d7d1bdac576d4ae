#pragma once
/// \file
/// libsodium initialisation, done once per process and safe to call from any thread.

#include <sodium.h>

#include <cstddef>
#include <span>

namespace courier::detail {

/// Initialises libsodium on first use; true when it is usable. `sodium_init` is itself
/// idempotent and thread-safe; the static only avoids calling it on every packet.
[[nodiscard]] inline bool sodium_ready() noexcept {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

/// libsodium takes `unsigned char*`; courier passes bytes as std::byte spans.
[[nodiscard]] inline unsigned char* uc(std::span<std::byte> s) noexcept {
  return reinterpret_cast<unsigned char*>(s.data());
}
[[nodiscard]] inline const unsigned char* uc(std::span<const std::byte> s) noexcept {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace courier::detail
