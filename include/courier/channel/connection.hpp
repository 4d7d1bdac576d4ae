#pragma once
/// \file
/// Connection: message channels over a ReliableEndpoint, on payload bytes only. The connection
/// layer hands it the payloads it decrypted and sends the payloads it writes; no sockets, no
/// crypto. One object, one thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <system_error>
#include <variant>
#include <vector>

#include "courier/channel/channel_stats.hpp"
#include "courier/channel/connection_config.hpp"
#include "courier/channel/connection_stats.hpp"
#include "courier/channel/delivery_status.hpp"
#include "courier/channel/detail/channel_receiver.hpp"
#include "courier/channel/detail/packet_refs.hpp"
#include "courier/channel/detail/payload_format.hpp"
#include "courier/channel/detail/reliable_sender.hpp"
#include "courier/channel/detail/status_table.hpp"
#include "courier/channel/detail/unreliable_sender.hpp"
#include "courier/channel/message_handle.hpp"
#include "courier/channel/received_message.hpp"
#include "courier/core/growing_storage.hpp"
#include "courier/core/config.hpp"
#include "courier/reliable/endpoint.hpp"
#include "courier/reliable/rate_controller.hpp"

namespace courier {

/// Channels of messages over one reliable endpoint. Its tables (queues, rings, sequence
/// buffers) have room for the configured worst case but hold memory only as far as they were
/// used (core/growing_storage.hpp; `table_bytes` and `table_limit_bytes` say how much): an idle
/// connection holds a few hundred bytes of them. Sending, writing, reading and receiving
/// allocate only while a table grows to a size this connection has not used before, never
/// once it reached its working size. Per tick: `send` messages, `update(now)`, then
/// `write_packet` until it returns 0 (or as many packets as the tick may send), and
/// `read_packet` for each payload received.
class Connection {
 public:
  /// Throws std::invalid_argument when the configuration is out of range.
  explicit Connection(ConnectionConfig config);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// The configuration with every default resolved.
  [[nodiscard]] const ConnectionConfig& config() const noexcept { return config_; }

  /// Queues a message. Refused, with nothing queued: Error::invalid_config for a channel or
  /// message id outside the configuration, Error::message_too_large above the channel's
  /// max_message_bytes (an unreliable channel never turns a message into a reliable block),
  /// Error::send_queue_full when the channel's queue, its byte buffer or the status table is full.
  SendResult send(std::size_t channel, std::uint32_t message_id, std::span<const std::byte> bytes) noexcept;

  /// Where the message sent with `handle` stands.
  [[nodiscard]] DeliveryStatus status(MessageHandle handle) const noexcept { return statuses_.get(handle); }

  /// Writes the next payload (≤ 1200 bytes) into `out` (which must hold 1200) and returns its
  /// size; 0 when there is nothing to send: no message fits or waits, and no ack is due, or
  /// the send-rate controller (ConnectionConfig::rate) holds data back until `next_send_time()`
  /// (an ack still goes out then, alone).
  std::size_t write_packet(TimePoint now, std::span<std::byte> out) noexcept;

  /// When the send-rate controller lets the next data packet go (meaningful when it is
  /// enabled and write_packet returned 0 with messages waiting): a loop that sleeps may wake
  /// then rather than at its next tick.
  [[nodiscard]] TimePoint next_send_time() const noexcept { return rate_ ? rate_->next_send_time() : TimePoint{}; }

  /// Reads one payload from the connection layer. Error::protocol_violation means the peer
  /// broke the protocol and should be disconnected; everything else is handled and counted.
  std::error_code read_packet(TimePoint now, std::span<const std::byte> payload) noexcept;

  /// The next message delivered on `channel`; its bytes stay valid until the next non-const call.
  std::optional<ReceivedMessage> receive(std::size_t channel) noexcept;

  /// Declares overdue packets lost (their reliable messages go again) and updates estimates.
  void update(TimePoint now) noexcept;

  /// Ends every unfinished send as Dropped(reason): call when the connection closes.
  void drop_all(Error reason) noexcept;

  /// Starts over for a new connection with the same configuration (a reconnect): unfinished
  /// sends end Dropped(reason), received messages not yet taken are discarded, sequence numbers,
  /// estimates and counters restart. Handles of earlier sends stay readable, so a send acked
  /// before the reset still reads Acked. Its tables start small again, like a new connection's.
  void reset(Error reason);

  /// True when a packet should be written before more are read: a packet's ack field reaches
  /// the newest 33 sequences, so a receiver that reads a longer burst between two writes leaves
  /// the older packets unacked, and the peer declares them lost and resends them. Half that
  /// reach (16 waiting) leaves room for reordering.
  [[nodiscard]] bool acks_backlogged() const noexcept { return endpoint_.pending_acks() >= 16; }

  /// Nothing waits to be sent, acked or resent: until it reads a packet or is sent to, only
  /// slow timers remain (the quiet trim). A server visits quiet connections less often.
  [[nodiscard]] bool quiet() const noexcept { return endpoint_.quiet() && !has_unsent(); }

  /// Bytes the connection's tables (queues, rings, sequence buffers) hold now: they grow with
  /// use up to `table_limit_bytes()`. The Connection object and its small vectors come on top.
  [[nodiscard]] std::size_t table_bytes() const noexcept { return tables_.meter().held_bytes; }
  /// Bytes the tables would hold at their configured sizes: the most `table_bytes()` reaches.
  [[nodiscard]] std::size_t table_limit_bytes() const noexcept { return tables_.meter().limit_bytes; }

  [[nodiscard]] ConnectionStats stats() const noexcept;

  /// Messages queued or unacked on `channel`.
  [[nodiscard]] std::size_t queued(std::size_t channel) const noexcept;

  /// `channel`'s send queue: length, the wait of its oldest unwritten message (as of the
  /// latest update, write_packet or read_packet), congestion drops. Zeros for an unknown channel.
  [[nodiscard]] ChannelStats channel_stats(std::size_t channel) const noexcept;

  [[nodiscard]] const ReliableEndpoint& endpoint() const noexcept { return endpoint_; }

 private:
  using Sender = std::variant<detail::ReliableSender, detail::UnreliableSender>;
  struct Events;
  struct Checker;
  struct Applier;

  void build_channels();
  /// The send-rate controller when ConnectionConfig::rate enables it (else none: an idle
  /// connection does not carry its tables and estimates).
  std::unique_ptr<detail::RateController> make_rate_controller() const;
  static ConnectionConfig resolve(ConnectionConfig c);
  PayloadVerdict on_payload(std::span<const std::byte> body) noexcept;
  void on_packet_resolved(std::uint16_t packet, bool acked) noexcept;
  [[nodiscard]] bool overtaken(std::uint16_t packet, std::uint8_t channel) const noexcept;
  std::size_t fill_body(std::span<std::byte> body, std::uint64_t& channels) noexcept;
  [[nodiscard]] bool has_unsent() const noexcept;
  void expire_old_messages(TimePoint now) noexcept;
  // False when the send-rate controller holds data back now.
  bool may_send_data(TimePoint now) noexcept;

  detail::MemberMeter tables_;  // first: counts the tables below
  ConnectionConfig config_;
  ReliableEndpoint endpoint_;
  detail::StatusTable statuses_;
  detail::PacketRefs refs_;
  std::vector<Sender> senders_;
  std::vector<detail::ChannelReceiver> receivers_;
  std::vector<std::uint8_t> order_;
  SequenceBuffer<std::uint64_t> channels_in_packet_;  // which channels each sent packet carried
  std::unique_ptr<detail::RateController> rate_;  // only when ConnectionConfig::rate is enabled
  std::uint16_t header_ack_ = 0;                       // the ack header being processed
  std::uint32_t header_bits_ = 0;
  MessageCounters counters_;
  TimePoint now_{};  // the latest time passed in: when send() queues a message
  // A send queue's bytes grow to the largest burst it held; once nothing was sent for this
  // long and a queue is empty, `update` gives its memory back (an idle client that once got
  // a 2 KiB reconnect token keeps none of it; a busy one never reaches this).
  static constexpr Duration quiet_before_trim = std::chrono::seconds(1);
  TimePoint last_send_{};
  bool queues_trimmed_ = true;
  std::uint64_t expiring_channels_ = 0;  // channels with a max_send_delay
};

}  // namespace courier

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/channel/impl/connection.hpp"
#endif
