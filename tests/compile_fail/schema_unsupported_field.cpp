// expect-error: use courier::BoundedString<N>
// expect-error-within-lines: 6
// expect-error: MessageFieldIsSendable<Chat, 1, std::
// A std::string field has no bound a receiver could enforce: the schema names the type to use,
// and the message and field (by position: reflection sees no names) it found it in.
#include <courier/schema/bit_packed.hpp>

#include <string>

struct Chat {
  std::uint32_t from;
#ifdef COURIER_COMPILE_FAIL_CONTROL
  courier::BoundedString<256> text;
#else
  std::string text;
#endif
};

int main() { return static_cast<int>(courier::BitPacked::max_bytes<Chat>); }
