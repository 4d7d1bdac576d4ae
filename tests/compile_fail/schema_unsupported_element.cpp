// expect-error: a message field is a pointer, which cannot be sent
// expect-error-within-lines: 6
// expect-error: MessageFieldIsSendable<Roster, 2, courier::BoundedVector<const char
// A bounded container of an unsendable element: the sentence is about the element, the
// arguments name the field that holds it.
#include <courier/schema/bit_packed.hpp>

struct Roster {
  std::uint32_t team;
  std::uint8_t size;
#ifdef COURIER_COMPILE_FAIL_CONTROL
  courier::BoundedVector<courier::BoundedString<16>, 8> names;
#else
  courier::BoundedVector<const char*, 8> names;
#endif
};

int main() { return static_cast<int>(courier::BitPacked::max_bytes<Roster>); }
