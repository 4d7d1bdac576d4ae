#pragma once
/// \file
/// The spelled name of a type at compile time, read from the compiler's function signature.
/// The schema hash uses it for the schema policy's name, and for message types only under a
/// schema whose encoding it cannot see (pack/layout_hash.hpp): the spelling is the compiler's,
/// and g++ and clang differ for unnamed namespaces and std's inline namespaces.

#include <cstdint>
#include <string_view>

namespace courier::detail {

template <class T>
[[nodiscard]] constexpr std::string_view type_name() noexcept {
  // g++:   "... type_name() [with T = Chat; ...]"     clang: "... type_name() [T = Chat]"
  constexpr std::string_view signature = __PRETTY_FUNCTION__;
  constexpr std::string_view marker = "T = ";
  constexpr auto start = signature.find(marker) + marker.size();
  constexpr auto end = signature.find_first_of(";]", start);
  return signature.substr(start, end - start);
}

/// 64-bit FNV-1a, usable at compile time; `seed` chains several strings into one hash.
[[nodiscard]] constexpr std::uint64_t fnv1a(std::string_view text,
                                            std::uint64_t seed = 1469598103934665603ull) noexcept {
  std::uint64_t h = seed;
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

[[nodiscard]] constexpr std::uint64_t fnv1a(std::uint64_t value, std::uint64_t seed) noexcept {
  std::uint64_t h = seed;
  for (int i = 0; i < 8; ++i) h = (h ^ ((value >> (8 * i)) & 0xff)) * 1099511628211ull;
  return h;
}

}  // namespace courier::detail
