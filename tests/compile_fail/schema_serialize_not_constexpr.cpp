// expect-error: declare serialize\(Stream&\) constexpr
// max_bytes runs a custom serialize at compile time; forgetting constexpr is named plainly.
#include <courier/schema/bit_packed.hpp>

#ifdef COURIER_COMPILE_FAIL_CONTROL
#define MAYBE_CONSTEXPR constexpr
#else
#define MAYBE_CONSTEXPR
#endif

struct Shot {
  int angle = 0;
  template <class Stream>
  MAYBE_CONSTEXPR void serialize(Stream& s) {
    s.template ranged<0, 359>(angle);
  }
};

int main() { return static_cast<int>(courier::BitPacked::max_bytes<Shot>); }
