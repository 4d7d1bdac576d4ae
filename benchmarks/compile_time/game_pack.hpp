#pragma once
// The small game protocol the compile-time TUs instantiate: two channels and one request.
#include <cstdint>

#include <courier/pack.hpp>
#include <courier/schema/bounded_string.hpp>
#include <courier/schema/bounded_vector.hpp>
#include <courier/schema/quantized.hpp>
#include <courier/schema/ranged.hpp>

namespace compile_time {

struct Chat {
  std::uint32_t from = 0;
  courier::BoundedString<128> text;
};

struct Move {
  courier::Quantized<-1000, 1000, 16> x;
  courier::Quantized<-1000, 1000, 16> y;
  courier::Ranged<int, 0, 359> heading;
};

struct Snapshot {
  std::uint32_t tick = 0;
  courier::BoundedVector<Move, 16> players;
};

struct Join {
  courier::BoundedString<24> name;
};

struct Welcome {
  std::uint32_t player = 0;
  bool ok = false;
};

using GamePack = courier::ChannelPack<
    courier::Version<"compile-time game 1">,
    courier::Channel<"chat", courier::ReliableOrdered, Chat>,
    courier::Channel<"input", courier::UnreliableSequenced, Move, Snapshot>,
    courier::Request<Join, Welcome>>;

using RelayPack = courier::ChannelPack<
    courier::Version<"compile-time relay 1">,
    courier::Channel<"chat", courier::ReliableOrdered, Chat>,
    courier::Channel<"input", courier::UnreliableSequenced, Move, Snapshot>,
    courier::Request<Join, Welcome>,
    courier::ConnectMessage<Chat>,
    courier::Relay<>>;

}  // namespace compile_time
