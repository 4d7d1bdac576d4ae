#pragma once
/// \file
/// Aggregate reflection without macros: count a struct's fields by brace-initializing it with a
/// probe that converts to anything, then bind them with a structured binding of that size
/// (the technique of Boost.PFR). Supports aggregates of up to 24 fields without base classes
/// or C arrays (use std::array).

#include <cstddef>
#include <type_traits>
#include <utility>

namespace courier::detail {

/// The most fields an aggregate may have to be reflected; beyond it, write serialize(Stream&)
/// or group fields into nested structs.
inline constexpr std::size_t max_reflected_fields = 24;

/// Converts to an lvalue of any type; only ever used unevaluated. The conversion is
/// rvalue-qualified so that `const AnyField&` does not convert: otherwise class templates with
/// converting constructor templates (std::string's from a string_view-like T) would see two
/// ways to build themselves from it and the count would come out wrong.
struct AnyField {
  template <class T>
  operator T&() const&& noexcept {  // NOLINT: implicit on purpose
    // Never called: the probe appears only in unevaluated brace-initialization checks. It needs
    // a body anyway, because checking some members (std::optional's constructor templates)
    // instantiates code that odr-uses it, and clang refuses an undefined one.
    T* never = nullptr;
    return *never;
  }
};

template <class T, std::size_t... I>
constexpr bool brace_constructible_with(std::index_sequence<I...> /*unused*/) noexcept {
  return requires { T{(void(I), AnyField{})...}; };
}

/// The number of fields of aggregate T, or max_reflected_fields + 1 when it has more.
template <class T, std::size_t N = 0>
constexpr std::size_t field_count() noexcept {
  if constexpr (N > max_reflected_fields) {
    return N;
  } else if constexpr (brace_constructible_with<T>(std::make_index_sequence<N + 1>{})) {
    return field_count<T, N + 1>();
  } else {
    return N;
  }
}

// One structured binding per field count, split in three so no function grows past a screen.
template <std::size_t Count, class T, class Visit>
constexpr decltype(auto) bind_fields_17_24(T& object, Visit&& visit) {
  if constexpr (Count == 17) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16);
  } else if constexpr (Count == 18) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17);
  } else if constexpr (Count == 19) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18);
  } else if constexpr (Count == 20) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19);
  } else if constexpr (Count == 21) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20);
  } else if constexpr (Count == 22) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21);
  } else if constexpr (Count == 23) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21, f22] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21, f22);
  } else if constexpr (Count == 24) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21, f22, f23] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21, f22, f23);
  }
}

template <std::size_t Count, class T, class Visit>
constexpr decltype(auto) bind_fields_9_16(T& object, Visit&& visit) {
  if constexpr (Count == 9) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8);
  } else if constexpr (Count == 10) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9);
  } else if constexpr (Count == 11) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10);
  } else if constexpr (Count == 12) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11);
  } else if constexpr (Count == 13) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12);
  } else if constexpr (Count == 14) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13);
  } else if constexpr (Count == 15) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14);
  } else if constexpr (Count == 16) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15);
  } else {
    return bind_fields_17_24<Count>(object, std::forward<Visit>(visit));
  }
}

template <std::size_t Count, class T, class Visit>
constexpr decltype(auto) bind_fields_1_8(T& object, Visit&& visit) {
  if constexpr (Count == 1) {
    auto& [f0] = object;
    return visit(f0);
  } else if constexpr (Count == 2) {
    auto& [f0, f1] = object;
    return visit(f0, f1);
  } else if constexpr (Count == 3) {
    auto& [f0, f1, f2] = object;
    return visit(f0, f1, f2);
  } else if constexpr (Count == 4) {
    auto& [f0, f1, f2, f3] = object;
    return visit(f0, f1, f2, f3);
  } else if constexpr (Count == 5) {
    auto& [f0, f1, f2, f3, f4] = object;
    return visit(f0, f1, f2, f3, f4);
  } else if constexpr (Count == 6) {
    auto& [f0, f1, f2, f3, f4, f5] = object;
    return visit(f0, f1, f2, f3, f4, f5);
  } else if constexpr (Count == 7) {
    auto& [f0, f1, f2, f3, f4, f5, f6] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6);
  } else if constexpr (Count == 8) {
    auto& [f0, f1, f2, f3, f4, f5, f6, f7] = object;
    return visit(f0, f1, f2, f3, f4, f5, f6, f7);
  } else {
    return bind_fields_9_16<Count>(object, std::forward<Visit>(visit));
  }
}

/// Calls `visit(field0, field1, ...)` with lvalue references to every field of `object` and
/// returns what it returns.
template <class T, class Visit>
constexpr decltype(auto) visit_fields(T& object, Visit&& visit) {
  constexpr std::size_t count = field_count<std::remove_cv_t<T>>();
  static_assert(count <= max_reflected_fields,
                "courier schema: this message has more than 24 fields, too many to reflect; "
                "group fields into nested structs or give it a serialize(Stream&) function");
  if constexpr (count == 0) {
    return visit();
  } else {
    return bind_fields_1_8<count>(object, std::forward<Visit>(visit));
  }
}

}  // namespace courier::detail
