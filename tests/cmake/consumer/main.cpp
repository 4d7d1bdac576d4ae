// Uses courier the way an application would: the umbrella header, a transport, a schema.
#include <courier/courier.hpp>

#include <cstdio>

int main() {
  const auto address = courier::Address::parse("127.0.0.1:40000");
  if (!address || address->to_string() != "127.0.0.1:40000") {
    std::puts("consumer: address round trip failed");
    return 1;
  }
  std::puts("consumer: courier is usable");
  return 0;
}
