#pragma once
/// \file
/// courier::match: std::visit over lambdas, checked. Every handler must be able to take one of
/// the variant's alternatives, so a handler for an event the other side gets (a server event in
/// a client loop), or for a message that cannot arrive (one that travels the other way), is a
/// compile error with a sentence instead of code that silently never runs. A catch-all
/// `[](auto&) {}` is allowed and does not hide such a mistake.
///
/// ```cpp
/// while (auto e = client.poll_event())
///   courier::match(*e,
///       [&](Client<Game>::Message<Chat>& m) { show(m.message.text); },
///       [&](Client<Game>::Disconnected& d) { log(courier::describe(d.reason)); },
///       [](auto&) {});
/// ```

#include <type_traits>
#include <utility>
#include <variant>

namespace courier {

/// Builds a visitor from lambdas (what match uses; for std::visit where match does not fit).
template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

namespace detail {

/// The one parameter type of a handler that is not a template (void for generic lambdas and
/// overload sets: those are catch-alls, checked by std::visit itself).
template <class F, class = void>
struct HandlerParameter {
  using type = void;
};
template <class R, class C, class A>
A parameter_of(R (C::*)(A));
template <class R, class C, class A>
A parameter_of(R (C::*)(A) const);
template <class R, class C, class A>
A parameter_of(R (C::*)(A) noexcept);
template <class R, class C, class A>
A parameter_of(R (C::*)(A) const noexcept);
template <class F>
struct HandlerParameter<F, std::void_t<decltype(parameter_of(&F::operator()))>> {
  using type = std::remove_cvref_t<decltype(parameter_of(&F::operator()))>;
};

template <class T, class Variant>
struct IsAlternative;
template <class T, class... Ts>
struct IsAlternative<T, std::variant<Ts...>> : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};

/// Instantiated for each handler: the static_assert names the handler's type in the compiler's
/// "required from here" line, so the message below points at the lambda that is wrong.
template <class Handler, class Variant>
struct CheckHandler {
  using parameter = typename HandlerParameter<Handler>::type;
  static_assert(std::is_void_v<parameter> || IsAlternative<parameter, Variant>::value,
                "courier::match: this handler takes a type that is not one of the event's alternatives, so it "
                "would never run. Is it the other side's event (server events in a client loop, or the reverse), "
                "or a message that travels the other way (see the channel's direction)?");
  static constexpr bool ok = true;
};

/// A handler with one declared parameter type P, called for exactly P in whatever value
/// category the visit yields. Without it, `[](const Chat&)` next to a catch-all `[](auto&)`
/// loses to the catch-all for a non-const event (auto& binds exactly, const& needs a
/// conversion), and the specific handler silently never runs.
template <class H, class P>
struct ExactHandler {
  H handler;
  decltype(auto) operator()(P& a) requires std::is_invocable_v<H&, P&> { return handler(a); }
  decltype(auto) operator()(const P& a) requires std::is_invocable_v<H&, const P&> { return handler(a); }
  decltype(auto) operator()(P&& a) requires std::is_invocable_v<H&, P&&> { return handler(std::move(a)); }
};

template <class H>
auto exact(H&& handler) {
  using P = typename HandlerParameter<std::remove_cvref_t<H>>::type;
  if constexpr (std::is_void_v<P>) return std::remove_cvref_t<H>(std::forward<H>(handler));
  else return ExactHandler<std::remove_cvref_t<H>, P>{std::forward<H>(handler)};
}

}  // namespace detail

/// Calls the handler that takes the variant's current alternative, after checking at compile
/// time that every handler can take one of them. A handler with a declared parameter type is
/// called for exactly that type (const or not); generic handlers take the rest.
template <class Variant, class... Handlers>
decltype(auto) match(Variant&& event, Handlers&&... handlers) {
  using V = std::remove_cvref_t<Variant>;
  static_assert((detail::CheckHandler<std::remove_cvref_t<Handlers>, V>::ok && ...));
  return std::visit(overloaded{detail::exact(std::forward<Handlers>(handlers))...}, std::forward<Variant>(event));
}

}  // namespace courier
