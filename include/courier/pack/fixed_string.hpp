#pragma once
/// \file
/// FixedString: a string literal usable as a template argument (`Version<"my-game 1.4">`,
/// `Channel<"chat", ...>`), so names and versions become part of the pack's type.

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace courier {

template <std::size_t N>
struct FixedString {
  char chars[N]{};

  // NOLINTNEXTLINE(google-explicit-constructor): implicit so a literal can be a template argument
  constexpr FixedString(const char (&text)[N]) noexcept { std::copy_n(text, N, chars); }

  [[nodiscard]] constexpr std::string_view view() const noexcept { return {chars, N - 1}; }
  [[nodiscard]] static constexpr std::size_t size() noexcept { return N - 1; }
};

}  // namespace courier
