#pragma once
/// \file
/// Little-endian put/get of unsigned integers at a byte pointer, for the typed layer's and the
/// relay's few fixed frame fields. The caller checks the bounds (frames are size-checked first).

#include <cstddef>
#include <cstdint>

namespace courier::detail {

template <class U>
inline void put_le(std::byte* out, U value) noexcept {
  for (std::size_t i = 0; i < sizeof(U); ++i) out[i] = static_cast<std::byte>((value >> (8 * i)) & 0xFF);
}

template <class U>
[[nodiscard]] inline U get_le(const std::byte* in) noexcept {
  U v = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i)
    v = static_cast<U>(v | (static_cast<U>(std::to_integer<std::uint8_t>(in[i])) << (8 * i)));
  return v;
}

}  // namespace courier::detail
