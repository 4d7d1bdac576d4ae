// expect-error: use courier::BoundedString<N>
// A std::string field has no bound a receiver could enforce: the schema names the type to use.
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
