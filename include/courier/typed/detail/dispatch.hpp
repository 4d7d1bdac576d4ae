#pragma once
/// \file
/// Runtime index → compile-time type: finds the message type a received frame names and hands
/// it to a generic lambda, so each side decodes straight into the right struct.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "courier/core/type_list.hpp"

namespace courier::detail {

/// Calls `f.template operator()<T>()` for the T at position `index` of `List`; false if none.
template <class List, class F>
bool with_type_at(std::size_t index, F&& f) {
  bool found = false;
  for_each_type(List{}, [&]<class T, std::size_t I>() {
    if (I == index) {
      found = true;
      f.template operator()<T>();
    }
  });
  return found;
}

/// As with_type_at, for message `id` of pack channel `channel`.
template <class Channels, class F>
bool with_channel_type(std::size_t channel, std::uint32_t id, F&& f) {
  bool found = false;
  for_each_type(Channels{}, [&]<class C, std::size_t I>() {
    if (I == channel) found = with_type_at<typename C::messages>(id, f);
  });
  return found;
}

/// Decodes `bytes` as a T with schema S; nullopt when they are not a valid T.
template <class S, class T>
[[nodiscard]] std::optional<T> decode_as(std::span<const std::byte> bytes) {
  std::optional<T> value(std::in_place);
  if (S::decode(bytes, *value)) return std::nullopt;
  return value;
}

}  // namespace courier::detail
