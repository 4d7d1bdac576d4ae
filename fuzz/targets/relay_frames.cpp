// Fuzz target: relay frames. A RelayServer with four online clients and a recording sink takes
// a sequence of steps read from the input: a frame (any id, any bytes) from a client, time
// passing, a client leaving and coming back, the sink filling up or draining. A RelayClient
// takes every frame the server sent to client 0, plus raw frames from the input. Invariants:
// data reaches a client only on a socket the server told it about (incoming / established),
// never more data bytes leave than arrived, `incoming` and `established` name another online
// client's address, and nothing crashes or allocates by a declared length.
//
// Socket ids are random 32-bit numbers the server makes up, so an input could only name a live
// socket by guessing one (the committed corpus answered a connect in 7 of 466 inputs). A frame
// about a socket (accept, refuse, data, close) whose socket field is 1..16 therefore names the
// (n-1)-th socket the sink has seen announced (modulo how many): the answer, data and close
// paths are reached by any input that opens a socket, by the client it was announced to or by
// another one (a spoof). Ids 1..16 are never real in practice: 16 of 2^32.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <vector>

#include <courier/channel/connection.hpp>
#include <courier/relay/relay_client.hpp>
#include <courier/relay/relay_server.hpp>

#include "common.hpp"

using namespace courier;
using namespace courier::fuzz;

namespace {

constexpr std::size_t clients = 4;

struct Sink final : courier::RelaySink {
  std::array<std::set<RelaySocketId>, clients> known;  // sockets each client was told about
  std::vector<RelaySocketId> announced;                 // every `incoming` socket, in order
  std::vector<std::pair<std::uint32_t, std::vector<std::byte>>> to_zero;  // frames for client 0
  std::uint64_t data_out = 0;
  bool full = false;
  bool relay_send(ClientHandle to, detail::RelayFrame f, std::span<const std::byte> bytes) override {
    if (full) return false;
    FUZZ_CHECK(to.slot < clients);
    const auto socket = bytes.size() >= 8 && f == detail::RelayFrame::established
                            ? detail::get_le<std::uint32_t>(bytes.data() + 4)
                            : (bytes.size() >= 4 ? detail::get_le<std::uint32_t>(bytes.data()) : 0);
    if (f == detail::RelayFrame::incoming || f == detail::RelayFrame::established) known[to.slot].insert(socket);
    if (f == detail::RelayFrame::incoming) {
      FUZZ_CHECK(bytes.size() == 10);
      FUZZ_CHECK(is_other_client(to, detail::get_le<std::uint32_t>(bytes.data() + 4)));  // the initiator
      if (announced.size() < 64) announced.push_back(socket);
    }
    if (f == detail::RelayFrame::established) {
      FUZZ_CHECK(bytes.size() == 12);
      FUZZ_CHECK(is_other_client(to, detail::get_le<std::uint32_t>(bytes.data() + 8)));  // who accepted
    }
    if (f == detail::RelayFrame::data_in) {
      FUZZ_CHECK(known[to.slot].contains(socket));  // only a socket this client is an end of
      data_out += bytes.size() - 4;
    }
    if (to.slot == 0 && to_zero.size() < 256) to_zero.emplace_back(static_cast<std::uint32_t>(f), std::vector<std::byte>(bytes.begin(), bytes.end()));
    return true;
  }
  // Client c holds VirtualAddress::first + c (set up below); a socket never joins a client to itself.
  static bool is_other_client(ClientHandle to, std::uint32_t address) {
    return address >= VirtualAddress::first && address < VirtualAddress::first + clients &&
           address != VirtualAddress::first + to.slot;
  }
};

// A frame about a socket whose socket field is 1..16 names an announced socket (see the top).
std::span<const std::byte> aim(std::uint32_t id, std::span<const std::byte> body, const Sink& sink,
                               std::array<std::byte, 1100>& copy) {
  const bool about_socket = id >= static_cast<std::uint32_t>(detail::RelayFrame::accept) &&
                            id <= static_cast<std::uint32_t>(detail::RelayFrame::close);
  if (!about_socket || body.size() < 4 || sink.announced.empty()) return body;
  const auto n = detail::get_le<std::uint32_t>(body.data());
  if (n < 1 || n > 16) return body;
  std::copy(body.begin(), body.end(), copy.begin());
  detail::put_le(copy.data(), sink.announced[(n - 1) % sink.announced.size()]);
  return {copy.data(), body.size()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  Sink sink;
  RelayLimits limits;
  limits.max_sockets_per_client = 4;
  limits.max_pending_per_client = 2;
  limits.burst_bytes = 4096;
  limits.bytes_per_second = 4096;
  limits.max_backlog_bytes = 4096;
  limits.connect_timeout = std::chrono::milliseconds(300);
  limits.idle_timeout = std::chrono::seconds(1);
  RelayServer server(sink, clients, limits, 7);
  std::array<std::uint32_t, clients> generation{};
  TimePoint now{};
  for (std::size_t c = 0; c < clients; ++c) {
    generation[c] = 1;
    server.on_connected(ClientHandle{static_cast<std::uint32_t>(c), 1}, VirtualAddress{VirtualAddress::first + static_cast<std::uint32_t>(c)}, now);
  }
  std::uint64_t data_in = 0;
  std::array<std::byte, 1100> copy{};
  for (int step = 0; step < 64 && !in.empty(); ++step) {
    const std::uint8_t op = in.u8();
    const auto c = static_cast<std::uint32_t>(op % clients);
    const ClientHandle h{c, generation[c]};
    switch ((op >> 2) % 6) {
      case 0:
      case 1:
      case 2: {  // a frame from client c
        const std::uint32_t id = in.u8() % 14;
        const auto body = aim(id, in.bytes(in.u16() % 1100), sink, copy);
        if (id == static_cast<std::uint32_t>(detail::RelayFrame::data) && detail::relay_frame_valid(id, body)) {
          // forwarded bytes are bounded by what arrived
          data_in += body.size() - 4;
        }
        (void)server.on_frame(h, id, body, now);
        break;
      }
      case 3: now += std::chrono::milliseconds(in.u8() * 10); server.update(now); break;
      case 4:  // leaves and comes back with a new generation
        server.on_disconnected(h);
        sink.known[c].clear();
        ++generation[c];
        server.on_connected(ClientHandle{c, generation[c]}, VirtualAddress{VirtualAddress::first + c}, now);
        break;
      default: sink.full = !sink.full; server.update(now); break;
    }
    FUZZ_CHECK(sink.data_out <= data_in);
  }
  sink.full = false;
  server.update(now);
  FUZZ_CHECK(sink.data_out <= data_in);

  // The client side: what the server said to client 0, then raw frames.
  Connection conn(ConnectionConfig{});
  RelayClient client(conn, 0);
  client.set_up(true);
  client.listen(80);
  for (const auto& [id, bytes] : sink.to_zero) (void)client.on_frame(id, bytes);
  while (!in.empty()) {
    const std::uint32_t id = in.u8() % 14;
    (void)client.on_frame(id, in.bytes(in.u16() % 1100));
  }
  while (client.take_event()) {
  }
  return 0;
}
