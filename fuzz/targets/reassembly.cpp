// Fuzz target: fragment reassembly. First byte even — raw datagrams straight into a
// ReliableEndpoint (records of [u16 length][bytes]): fragments with any header, count, index
// and size, duplicates, conflicting counts, a full table. Odd — a round trip: two Connections,
// the sender's messages (sizes from the input, contents a counter) are written as packets and
// fragments and delivered in an order the input chooses, with duplicates and drops; every
// reliable message that arrives must equal what was sent, in order, with nothing invented.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <courier/channel/connection.hpp>
#include <courier/core/error.hpp>
#include <courier/reliable/endpoint.hpp>

#include "common.hpp"

using namespace courier::fuzz;

namespace {

struct Sink {
  std::size_t payloads = 0;
  void on_acked(std::uint16_t) noexcept {}
  void on_lost(std::uint16_t) noexcept {}
  courier::PayloadVerdict on_payload(std::uint16_t, std::span<const std::byte> body) noexcept {
    ++payloads;
    FUZZ_CHECK(!body.empty());
    return body.size() % 7 == 0 ? courier::PayloadVerdict::refuse : courier::PayloadVerdict::accept;
  }
};

void raw(Input& in) {
  courier::EndpointConfig c;
  c.max_packet_bytes = 16 * 1024;
  c.max_packets_in_reassembly = 4;
  courier::ReliableEndpoint endpoint(c);
  Sink sink;
  courier::TimePoint now{};
  while (!in.empty()) {
    const auto d = in.bytes(in.u16() % 1300);
    now += std::chrono::milliseconds(1);
    const std::error_code ec = endpoint.read_packet(now, d, sink);
    FUZZ_CHECK(!ec || ec == courier::Error::protocol_violation);
  }
}

courier::ConnectionConfig pair_config() {
  courier::ConnectionConfig c;
  c.endpoint.max_packet_bytes = 6 * 1024;
  c.packet_budget_bytes = 6 * 1024;  // packets above 1200 bytes travel as endpoint fragments
  c.channels = {courier::ChannelConfig{.mode = courier::ChannelMode::reliable_ordered,
                                       .max_message_bytes = 6 * 1024, .send_queue_capacity = 32,
                                       .receive_queue_capacity = 32}};
  return c;
}

void round_trip(Input& in) {
  static courier::Connection* a = nullptr;
  static courier::Connection* b = nullptr;
  if (a == nullptr) {
    a = new courier::Connection(pair_config());
    b = new courier::Connection(pair_config());
  }
  a->reset(courier::Error::disconnected_by_application);
  b->reset(courier::Error::disconnected_by_application);
  std::vector<std::vector<std::byte>> sent;
  const std::size_t messages = 1 + in.u8() % 8;
  std::uint8_t counter = 0;
  for (std::size_t i = 0; i < messages; ++i) {
    std::vector<std::byte> m(1 + in.u16() % (6 * 1024));
    for (auto& x : m) x = static_cast<std::byte>(counter++);
    if (!a->send(0, 0, m).error) sent.push_back(std::move(m));
  }
  std::size_t received = 0;
  courier::TimePoint now{};
  std::vector<std::vector<std::byte>> wire;
  for (int round = 0; round < 40 && received < sent.size(); ++round) {
    now += std::chrono::milliseconds(20);
    a->update(now);
    b->update(now);
    wire.clear();
    for (int k = 0; k < 64; ++k) {
      std::array<std::byte, courier::max_datagram_payload_bytes> out{};
      const std::size_t n = a->write_packet(now, out);
      if (n == 0) break;
      wire.emplace_back(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
    }
    // The input reorders, duplicates and drops what the sender wrote (after the input runs
    // out, everything is delivered in order so the messages can complete).
    for (std::size_t k = 0; k + 1 < wire.size(); ++k) {
      const std::size_t j = k + in.u8() % (wire.size() - k);
      std::swap(wire[k], wire[j]);
    }
    for (const auto& d : wire) {
      const std::uint8_t action = in.empty() ? 0 : in.u8() % 4;
      if (action == 1) continue;  // dropped
      FUZZ_CHECK(!b->read_packet(now, d));
      if (action == 2) FUZZ_CHECK(!b->read_packet(now, d));  // duplicated
    }
    while (auto m = b->receive(0)) {
      FUZZ_CHECK(received < sent.size());
      FUZZ_CHECK(std::equal(m->bytes.begin(), m->bytes.end(), sent[received].begin(), sent[received].end()));
      ++received;
    }
    for (int k = 0; k < 8; ++k) {  // acks back, never lost
      std::array<std::byte, courier::max_datagram_payload_bytes> out{};
      const std::size_t n = b->write_packet(now, out);
      if (n == 0) break;
      FUZZ_CHECK(!a->read_packet(now, std::span(out).first(n)));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  if (in.u8() & 1)
    round_trip(in);
  else
    raw(in);
  return 0;
}
