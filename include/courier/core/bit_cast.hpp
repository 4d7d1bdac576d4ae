#pragma once
/// \file
/// `courier::bit_cast`: `std::bit_cast` where the standard library has it, else the compiler
/// builtin every C++20 compiler courier supports provides (`__builtin_bit_cast`: clang ≥ 9,
/// g++ ≥ 11). Emscripten 3.1.6's libc++ 13 (the browser build) lacks `std::bit_cast`; g++ 12's
/// libstdc++ and clang 14 with libstdc++ have it, so native builds use the standard one.
/// Same contract as `std::bit_cast`: trivially copyable types of equal size, constexpr.

#include <bit>
#include <type_traits>

namespace courier {

#if defined(__cpp_lib_bit_cast)
using std::bit_cast;
#else
template <class To, class From>
  requires(sizeof(To) == sizeof(From) && std::is_trivially_copyable_v<To> && std::is_trivially_copyable_v<From>)
[[nodiscard]] constexpr To bit_cast(const From& from) noexcept {
  return __builtin_bit_cast(To, from);
}
#endif

}  // namespace courier
