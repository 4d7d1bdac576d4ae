#pragma once
/// \file
/// The `ReliabilityMode` policy concept and the four modes a channel can have.
///
/// | expression        | type   | meaning                                                    |
/// |-------------------|--------|------------------------------------------------------------|
/// | `M::reliable`     | `bool` | messages are resent until acked, delivered exactly once    |
/// | `M::ordered`      | `bool` | delivery follows send order (reliable: waits for gaps)     |
/// | `M::sequenced`    | `bool` | unreliable, but a message older than one delivered is dropped |
/// | `M::name`         | `const char*` | for stats and docs                                  |

#include <concepts>

namespace courier {

template <class M>
concept ReliabilityMode = requires {
  { M::reliable } -> std::convertible_to<bool>;
  { M::ordered } -> std::convertible_to<bool>;
  { M::sequenced } -> std::convertible_to<bool>;
  { M::name } -> std::convertible_to<const char*>;
} && !(M::reliable && M::sequenced);

/// Exactly once, in send order.
struct ReliableOrdered {
  static constexpr bool reliable = true, ordered = true, sequenced = false;
  static constexpr const char* name = "reliable-ordered";
};
/// Exactly once, in arrival order.
struct ReliableUnordered {
  static constexpr bool reliable = true, ordered = false, sequenced = false;
  static constexpr const char* name = "reliable-unordered";
};
/// At most once, any order, never resent.
struct Unreliable {
  static constexpr bool reliable = false, ordered = false, sequenced = false;
  static constexpr const char* name = "unreliable";
};
/// At most once, never resent, and never older than a message already delivered.
struct UnreliableSequenced {
  static constexpr bool reliable = false, ordered = false, sequenced = true;
  static constexpr const char* name = "unreliable-sequenced";
};

}  // namespace courier
