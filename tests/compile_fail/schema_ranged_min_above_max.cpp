// expect-error: Min must not be greater than Max
// A Ranged whose bounds are reversed is a programmer error caught at compile time.
#include <courier/schema/ranged.hpp>

#ifdef COURIER_COMPILE_FAIL_CONTROL
courier::Ranged<int, 0, 10> health;
#else
courier::Ranged<int, 10, 0> health;
#endif

int main() { return health; }
