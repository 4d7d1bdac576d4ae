// expect-error: a message field is a std::string, which has no bound
// expect-error-within-lines: 10
// expect-error: MessageFieldIsSendable<Chat, 1, std::
// The same mistake met through a pack, as most programs meet it: the first error is still the
// field's sentence with its message and position, not the pack's size rule.
#include <courier/pack.hpp>

#include <string>

struct Chat {
  std::uint32_t from;
#ifdef COURIER_COMPILE_FAIL_CONTROL
  courier::BoundedString<256> text;
#else
  std::string text;
#endif
};

using Pack = courier::ChannelPack<courier::Version<"v">, courier::Channel<"chat", courier::ReliableOrdered, Chat>>;
int main() { return static_cast<int>(Pack::protocol_id & 1); }
