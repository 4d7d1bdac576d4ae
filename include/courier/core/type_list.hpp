#pragma once
/// \file
/// Compile-time type lists: the toolkit ChannelPack and the channel tables are built on.

#include <cstddef>
#include <type_traits>
#include <utility>

namespace courier::detail {

/// An ordered list of types; carries no data.
template <class... Ts>
struct TypeList {
  static constexpr std::size_t size = sizeof...(Ts);
};

// ---- contains -------------------------------------------------------------------------------

template <class List, class T>
struct Contains;

template <class T, class... Ts>
struct Contains<TypeList<Ts...>, T> : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};

/// True when `T` is one of the types of `List`.
template <class List, class T>
inline constexpr bool contains_v = Contains<List, T>::value;

// ---- index ----------------------------------------------------------------------------------

template <class List, class T>
struct IndexOf;

template <class T, class... Ts>
struct IndexOf<TypeList<T, Ts...>, T> : std::integral_constant<std::size_t, 0> {};

template <class T, class Head, class... Ts>
struct IndexOf<TypeList<Head, Ts...>, T>
    : std::integral_constant<std::size_t, 1 + IndexOf<TypeList<Ts...>, T>::value> {};

template <class T>
struct IndexOf<TypeList<>, T> {
  static_assert(!std::is_same_v<T, T>, "Type is not in the list");
};

/// Position of the first `T` in `List`; a compile error when `T` is absent.
template <class List, class T>
inline constexpr std::size_t index_of_v = IndexOf<List, T>::value;

// ---- element --------------------------------------------------------------------------------

template <class List, std::size_t I>
struct Element;

template <class Head, class... Ts>
struct Element<TypeList<Head, Ts...>, 0> {
  using type = Head;
};

template <class Head, class... Ts, std::size_t I>
struct Element<TypeList<Head, Ts...>, I> : Element<TypeList<Ts...>, I - 1> {};

/// The `I`-th type of `List`.
template <class List, std::size_t I>
using element_t = typename Element<List, I>::type;

// ---- unique ---------------------------------------------------------------------------------

template <class List>
struct IsUnique;

template <>
struct IsUnique<TypeList<>> : std::true_type {};

template <class Head, class... Ts>
struct IsUnique<TypeList<Head, Ts...>>
    : std::bool_constant<!contains_v<TypeList<Ts...>, Head> && IsUnique<TypeList<Ts...>>::value> {};

/// True when no type appears twice in `List`.
template <class List>
inline constexpr bool is_unique_v = IsUnique<List>::value;

// ---- concat ---------------------------------------------------------------------------------

template <class... Lists>
struct Concat;

template <>
struct Concat<> {
  using type = TypeList<>;
};

template <class... Ts>
struct Concat<TypeList<Ts...>> {
  using type = TypeList<Ts...>;
};

template <class... As, class... Bs, class... Rest>
struct Concat<TypeList<As...>, TypeList<Bs...>, Rest...>
    : Concat<TypeList<As..., Bs...>, Rest...> {};

/// One list holding the types of every list in order.
template <class... Lists>
using concat_t = typename Concat<Lists...>::type;

// ---- filter / transform ---------------------------------------------------------------------

template <class List, template <class> class Pred>
struct Filter;

template <template <class> class Pred, class... Ts>
struct Filter<TypeList<Ts...>, Pred> {
  using type = concat_t<TypeList<>, std::conditional_t<Pred<Ts>::value, TypeList<Ts>, TypeList<>>...>;
};

/// The types of `List` for which `Pred<T>::value` holds, in order.
template <class List, template <class> class Pred>
using filter_t = typename Filter<List, Pred>::type;

template <class List, template <class> class F>
struct Transform;

template <template <class> class F, class... Ts>
struct Transform<TypeList<Ts...>, F> {
  using type = TypeList<typename F<Ts>::type...>;
};

/// `TypeList<F<T>::type...>` for every `T` of `List`.
template <class List, template <class> class F>
using transform_t = typename Transform<List, F>::type;

/// Calls `f.template operator()<T, I>()` for every type of `List` with its index.
template <class... Ts, class F>
constexpr void for_each_type(TypeList<Ts...>, F&& f) {
  [&]<std::size_t... Is>(std::index_sequence<Is...>) {
    (f.template operator()<Ts, Is>(), ...);
  }(std::index_sequence_for<Ts...>{});
}

}  // namespace courier::detail
