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
#include <cstdint>

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

/// The runtime form of a channel's mode, as channel configurations and the payload format
/// carry it. Values are stable: docs/PROTOCOL.md lists them.
enum class ChannelMode : std::uint8_t {
  reliable_ordered = 0,
  reliable_unordered = 1,
  unreliable = 2,
  unreliable_sequenced = 3,
};

/// The ChannelMode of a mode type.
template <ReliabilityMode M>
inline constexpr ChannelMode channel_mode_v =
    M::reliable ? (M::ordered ? ChannelMode::reliable_ordered : ChannelMode::reliable_unordered)
                : (M::sequenced ? ChannelMode::unreliable_sequenced : ChannelMode::unreliable);

/// True for the modes that resend until acked.
[[nodiscard]] constexpr bool is_reliable(ChannelMode m) noexcept {
  return m == ChannelMode::reliable_ordered || m == ChannelMode::reliable_unordered;
}

/// True for the modes whose messages carry a sequence on the wire.
[[nodiscard]] constexpr bool has_sequence(ChannelMode m) noexcept {
  return m != ChannelMode::unreliable;
}

/// The mode's name, as the mode types spell it.
[[nodiscard]] constexpr const char* describe(ChannelMode m) noexcept {
  switch (m) {
    case ChannelMode::reliable_ordered: return ReliableOrdered::name;
    case ChannelMode::reliable_unordered: return ReliableUnordered::name;
    case ChannelMode::unreliable: return Unreliable::name;
    case ChannelMode::unreliable_sequenced: return UnreliableSequenced::name;
  }
  return "unknown";
}

}  // namespace courier
