#pragma once
/// \file
/// libsodium initialisation, done once per process and safe to call from any thread.

#include <sodium.h>

namespace courier::detail {

/// Initialises libsodium on first use; true when it is usable. `sodium_init` is itself
/// idempotent and thread-safe; the static only avoids calling it on every packet.
[[nodiscard]] inline bool sodium_ready() noexcept {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace courier::detail
