// expect-error: use courier::BoundedVector<T, N>
// expect-error-within-lines: 6
// expect-error: MessageFieldIsSendable<Inventory, 1, std::vector<int
// A std::vector inside a nested struct: the error names the struct that holds it and its
// position there, not only the outer message.
#include <courier/schema/bit_packed.hpp>

#include <vector>

struct Inventory {
  std::uint8_t slots;
#ifdef COURIER_COMPILE_FAIL_CONTROL
  courier::BoundedVector<int, 32> items;
#else
  std::vector<int> items;
#endif
};

struct Player {
  std::uint32_t id;
  bool alive;
  Inventory inventory;
};

int main() { return static_cast<int>(courier::BitPacked::max_bytes<Player>); }
