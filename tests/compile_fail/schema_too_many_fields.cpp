// expect-error: more than 24 fields
// Aggregates beyond the reflection limit are refused with advice, not a wall of binding errors.
#include <courier/schema/byte_aligned.hpp>

struct Wide {
  int f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19,
      f20, f21, f22, f23;
#ifndef COURIER_COMPILE_FAIL_CONTROL
  int f24;
#endif
};

int main() { return static_cast<int>(courier::ByteAligned::max_bytes<Wide>); }
