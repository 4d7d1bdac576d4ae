// Fuzz target: payloads into a Connection (reliable header, acks, channel blocks, inline
// messages, block fragments, fragmented unreliable messages) with one channel of every mode
// and a fragmenting unreliable-sequenced one, as the connection layer would hand
// them over after decryption. The input is a sequence of records: [u16 length][bytes]
// [u8 time step]. Every received message is decoded with both schemas (schema.hpp invariants).
// Invariants: no crash; a violation is reported as Error::protocol_violation and nothing else;
// received messages carry an id their channel owns and fit its size limit.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include <courier/channel/connection.hpp>
#include <courier/core/error.hpp>

#include "common.hpp"
#include "schema.hpp"

using namespace courier::fuzz;

namespace {

courier::ConnectionConfig config() {
  courier::ConnectionConfig c;
  c.endpoint.max_packet_bytes = 4 * 1024;
  c.channels = {
      courier::ChannelConfig{.mode = courier::ChannelMode::reliable_ordered, .message_id_count = 4,
                             .max_message_bytes = 8 * 1024, .send_queue_capacity = 64,
                             .receive_queue_capacity = 64},
      courier::ChannelConfig{.mode = courier::ChannelMode::reliable_unordered, .message_id_count = 2,
                             .max_message_bytes = 4 * 1024, .send_queue_capacity = 64,
                             .receive_queue_capacity = 64},
      courier::ChannelConfig{.mode = courier::ChannelMode::unreliable, .message_id_count = 3,
                             .send_queue_capacity = 64, .receive_queue_capacity = 64},
      courier::ChannelConfig{.mode = courier::ChannelMode::unreliable_sequenced, .message_id_count = 1,
                             .send_queue_capacity = 64, .receive_queue_capacity = 64},
      // fragmented unreliable messages (all-or-nothing reassembly in 2 buffers)
      courier::ChannelConfig{.mode = courier::ChannelMode::unreliable_sequenced, .message_id_count = 2,
                             .max_inline_bytes = 64, .max_message_bytes = 4 * 1024,
                             .send_queue_capacity = 64, .receive_queue_capacity = 64,
                             .max_partial_messages = 2},
  };
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static courier::Connection* connection = nullptr;
  static courier::ConnectionConfig resolved;
  if (connection == nullptr) {
    connection = new courier::Connection(config());
    resolved = connection->config();
  }
  connection->reset(courier::Error::disconnected_by_application);  // every input starts from a fresh connection
  Input in(data, size);
  courier::TimePoint now{};
  while (!in.empty()) {
    const std::size_t n = in.u16() % 1400;
    const auto payload = in.bytes(n);
    now += std::chrono::milliseconds(in.u8());
    const std::error_code ec = connection->read_packet(now, payload);
    FUZZ_CHECK(!ec || ec == courier::Error::protocol_violation);
    connection->update(now);
    for (std::size_t ch = 0; ch < resolved.channels.size(); ++ch) {
      while (auto m = connection->receive(ch)) {
        FUZZ_CHECK(m->message_id < resolved.channels[ch].message_id_count);
        FUZZ_CHECK(m->bytes.size() <= resolved.channels[ch].max_message_bytes);
        decode_any(static_cast<std::uint8_t>(m->message_id * 2 + ch), m->bytes);
      }
    }
    std::array<std::byte, courier::max_datagram_payload_bytes> out{};
    (void)connection->write_packet(now, out);  // acks for what was read
  }
  return 0;
}
