// expect-error: a message field is a pointer, which cannot be sent
// expect-error-within-lines: 6
// expect-error: MessageFieldIsSendable<Player, 1, const char
// The refused field sits in a struct that a container holds: the error names that struct and
// the field's position in it.
#include <courier/schema/bit_packed.hpp>

#include <optional>

struct Player {
  std::uint32_t id;
#ifdef COURIER_COMPILE_FAIL_CONTROL
  courier::BoundedString<16> name;
#else
  const char* name;
#endif
};

struct Lobby {
  std::uint16_t room;
  courier::BoundedVector<std::optional<Player>, 8> players;
};

int main() { return static_cast<int>(courier::BitPacked::max_bytes<Lobby>); }
