#pragma once
/// \file
/// The field check that runs before a message's worst case is computed: it walks the message's
/// field types (not values) and finds the first field serialize_field would refuse, so the
/// error can name the message and the field's position instead of surfacing from deep inside
/// a constant evaluation. Codec::max_bytes instantiates MessageFieldIsSendable (codec.hpp) for
/// that field; the rules here mirror serialize_field's dispatch in fields.hpp.

#include <array>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

#include "courier/core/type_list.hpp"
#include "courier/schema/detail/fields.hpp"
#include "courier/schema/detail/reflect.hpp"

namespace courier::detail {

/// A struct that courier reflects field by field (no serialize function of its own).
template <class Stream, class T>
inline constexpr bool reflected_struct =
    !CustomSerialize<T, Stream> && std::is_class_v<T> && std::is_aggregate_v<T> &&
    !is_std_string<T> && !is_ranged<T> && !is_quantized<T> && !is_bounded_string<T> &&
    !is_bounded_vector<T> && !is_std_array<T> && !is_optional<T>;

/// Turns the fields visit_fields hands it into the TypeList of their declared types.
struct FieldTypes {
  template <class... Fields>
  constexpr TypeList<Fields...> operator()(Fields&... /*unused*/) const noexcept {
    return {};
  }
};

/// The declared types of T's fields, in order, as a TypeList (only used unevaluated).
template <class T>
using field_types_t = decltype(visit_fields(std::declval<T&>(), FieldTypes{}));

template <class Stream, class T>
constexpr bool sendable() noexcept;

template <class Stream, class... Fields>
constexpr bool all_sendable(TypeList<Fields...> /*unused*/) noexcept {
  return (sendable<Stream, Fields>() && ...);
}

/// True when serialize_field accepts T with `Stream`, looking through containers and structs.
template <class Stream, class T>
constexpr bool sendable() noexcept {
  if constexpr (std::is_const_v<T>) {
    return false;
  } else if constexpr (CustomSerialize<T, Stream> || std::is_integral_v<T> || FixedEnum<T> ||
                       std::is_same_v<T, float> || std::is_same_v<T, double> || is_ranged<T> ||
                       is_quantized<T> || is_bounded_string<T>) {
    return true;
  } else if constexpr (is_bounded_vector<T> || is_std_array<T> || is_optional<T>) {
    return sendable<Stream, typename T::value_type>();
  } else if constexpr (reflected_struct<Stream, T>) {
    return all_sendable<Stream>(field_types_t<T>{});
  } else {
    return false;
  }
}

/// The type a user must replace: T itself, or the element inside the container T.
template <class T>
struct UnsendableCore {
  using type = T;
};
template <class T>
  requires(is_bounded_vector<T> || is_std_array<T> || is_optional<T>)
struct UnsendableCore<T> {
  using type = typename UnsendableCore<typename T::value_type>::type;
};

template <class Stream, class... Fields>
constexpr std::size_t first_unsendable_index(TypeList<Fields...> /*unused*/) noexcept {
  std::size_t index = 0;
  ((sendable<Stream, Fields>() ? ++index : 0) && ...);
  return index;
}

template <class Message, std::size_t Field, class Type>
struct MessageFieldIsSendable;

/// The MessageFieldIsSendable to instantiate for Message: its first refused field (inside a
/// nested struct, or a struct held by a container, the innermost struct holding it), or a
/// field that passes when all do.
template <class Stream, class Message>
constexpr auto first_unsendable() noexcept {
  if constexpr (!reflected_struct<Stream, Message> || sendable<Stream, Message>()) {
    return std::type_identity<MessageFieldIsSendable<void, 0, int>>{};
  } else {
    using fields = field_types_t<Message>;
    constexpr std::size_t index = first_unsendable_index<Stream>(fields{});
    using field = element_t<fields, index>;
    using core = typename UnsendableCore<field>::type;  // a struct, or one inside containers
    if constexpr (reflected_struct<Stream, core> && !std::is_const_v<field> && !std::is_const_v<core>) {
      return first_unsendable<Stream, core>();
    } else {
      return std::type_identity<MessageFieldIsSendable<Message, index, field>>{};
    }
  }
}

template <class Stream, class Message>
using first_unsendable_t = typename decltype(first_unsendable<Stream, Message>())::type;

}  // namespace courier::detail
