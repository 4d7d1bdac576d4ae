#pragma once
/// \file
/// Connection: message channels over a ReliableEndpoint, on payload bytes only. The connection
/// layer hands it the payloads it decrypted and sends the payloads it writes; no sockets, no
/// crypto. One object, one thread.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <system_error>
#include <type_traits>
#include <variant>
#include <vector>

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
#include "courier/core/arena.hpp"
#include "courier/reliable/endpoint.hpp"

namespace courier {

/// Channels of messages over one reliable endpoint. All memory is allocated by the
/// constructor, its tables in one arena (core/arena.hpp; `table_bytes` says how much) that
/// becomes resident only as far as it is used; sending, writing, reading and receiving never
/// allocate. Per tick: `send` messages, `update(now)`, then `write_packet` until it returns 0
/// (or as many packets as the tick may send), and `read_packet` for each payload received.
class Connection {
 public:
  /// Throws std::invalid_argument when the configuration is out of range.
  explicit Connection(ConnectionConfig config)
      : config_((config.validate(), resolve(std::move(config)))),
        endpoint_(config_.endpoint),
        statuses_(config_.status_capacity),
        refs_(config_.max_messages_in_flight, config_.endpoint.sent_packets),
        channels_in_packet_(config_.endpoint.sent_packets) {
    build_channels();
    arena_.done();
    for (std::size_t i = 0; i < config_.channels.size(); ++i) order_.push_back(static_cast<std::uint8_t>(i));
    std::stable_sort(order_.begin(), order_.end(), [this](std::uint8_t a, std::uint8_t b) {
      return config_.channels[a].priority > config_.channels[b].priority;
    });
  }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// The configuration with every default resolved.
  [[nodiscard]] const ConnectionConfig& config() const noexcept { return config_; }

  /// Queues a message. Refused, with nothing queued: Error::invalid_config for a channel or
  /// message id outside the configuration, Error::message_too_large above the channel's
  /// max_message_bytes (an unreliable channel never turns a message into a reliable block),
  /// Error::send_queue_full when the channel's queue, its byte buffer or the status table is full.
  SendResult send(std::size_t channel, std::uint32_t message_id, std::span<const std::byte> bytes) noexcept {
    SendResult r;
    if (channel >= config_.channels.size() || message_id >= config_.channels[channel].message_id_count)
      r.error = Error::invalid_config;
    else if (bytes.size() > config_.channels[channel].max_message_bytes)
      r.error = Error::message_too_large;
    else
      r.error = std::visit([&](auto& s) { return s.send(message_id, bytes, statuses_, r.handle); },
                           senders_[channel]);
    ++(r.error ? stats_.messages_refused : stats_.messages_sent);
    return r;
  }

  /// Where the message sent with `handle` stands.
  [[nodiscard]] DeliveryStatus status(MessageHandle handle) const noexcept { return statuses_.get(handle); }

  /// Writes the next payload (≤ 1200 bytes) into `out` (which must hold 1200) and returns its
  /// size; 0 when there is nothing to send: no message fits or waits, and no ack is due.
  std::size_t write_packet(TimePoint now, std::span<std::byte> out) noexcept {
    if (out.size() < max_datagram_payload_bytes) return 0;
    if (endpoint_.fragments_pending()) return endpoint_.next_fragment(now, out);
    const bool direct = config_.packet_budget_bytes <= max_datagram_payload_bytes;
    const std::span<std::byte> target =
        direct ? out.first(config_.packet_budget_bytes) : endpoint_.staging().first(config_.packet_budget_bytes);
    const std::size_t head = endpoint_.begin_packet(target);
    const std::uint64_t first_ref = refs_.head();
    std::uint64_t channels = 0;
    const std::size_t body = fill_body(target.subspan(head), channels);
    if (body == 0 && !endpoint_.ack_due(now)) return 0;
    const std::uint16_t seq = endpoint_.end_packet(now, target.first(head + body), head, events_);
    refs_.commit(seq, first_ref);
    *channels_in_packet_.insert(seq) = channels;
    ++stats_.packets_written;
    if (direct) return head + body;
    if (!endpoint_.fragments_pending()) {
      std::memcpy(out.data(), target.data(), head + body);
      return head + body;
    }
    return endpoint_.next_fragment(now, out);
  }

  /// Reads one payload from the connection layer. Error::protocol_violation means the peer
  /// broke the protocol and should be disconnected; everything else is handled and counted.
  std::error_code read_packet(TimePoint now, std::span<const std::byte> payload) noexcept {
    const std::error_code ec = endpoint_.read_packet(now, payload, events_);
    if (ec) ++stats_.protocol_violations;
    return ec;
  }

  /// The next message delivered on `channel`; its bytes stay valid until the next non-const call.
  std::optional<ReceivedMessage> receive(std::size_t channel) noexcept {
    if (channel >= receivers_.size()) return std::nullopt;
    auto m = receivers_[channel].receive();
    if (m) ++stats_.messages_received;
    return m;
  }

  /// Declares overdue packets lost (their reliable messages go again) and updates estimates.
  void update(TimePoint now) noexcept { endpoint_.update(now, events_); }

  /// Ends every unfinished send as Dropped(reason): call when the connection closes.
  void drop_all(Error reason) noexcept {
    for (auto& s : senders_) std::visit([&](auto& sender) { sender.drop_all(statuses_, reason); }, s);
  }

  /// Starts over for a new connection with the same configuration (a reconnect): unfinished
  /// sends end Dropped(reason), received messages not yet taken are discarded, sequence numbers,
  /// estimates and counters restart. Handles of earlier sends stay readable, so a send acked
  /// before the reset still reads Acked. Allocates like the constructor.
  void reset(Error reason) {
    drop_all(reason);
    auto fresh = std::make_unique<detail::Arena>();
    {
      const detail::ArenaScope filling(*fresh);
      endpoint_ = ReliableEndpoint(config_.endpoint);
      statuses_ = detail::StatusTable(statuses_);  // kept (earlier handles stay readable), moved over
      refs_ = detail::PacketRefs(config_.max_messages_in_flight, config_.endpoint.sent_packets);
      channels_in_packet_ = SequenceBuffer<std::uint64_t>(config_.endpoint.sent_packets);
      build_channels();
    }
    arena_.replace(std::move(fresh));  // every table now lives in the fresh one
    header_ack_ = 0;
    header_bits_ = 0;
    stats_ = {};
  }

  /// True when a packet should be written before more are read: a packet's ack field reaches
  /// the newest 33 sequences, so a receiver that reads a longer burst between two writes leaves
  /// the older packets unacked, and the peer declares them lost and resends them. Half that
  /// reach (16 waiting) leaves room for reordering.
  [[nodiscard]] bool acks_backlogged() const noexcept { return endpoint_.pending_acks() >= 16; }

  /// Bytes of the connection's tables (queues, rings, sequence buffers): reserved at
  /// construction, resident only where used. The Connection object and its small vectors
  /// come on top, from the heap.
  [[nodiscard]] std::size_t table_bytes() const noexcept { return arena_.arena().taken_bytes(); }

  [[nodiscard]] ConnectionStats stats() const noexcept {
    ConnectionStats s = stats_;
    s.endpoint = endpoint_.stats();
    return s;
  }

  /// Messages queued or unacked on `channel`.
  [[nodiscard]] std::size_t queued(std::size_t channel) const noexcept {
    if (channel >= senders_.size()) return 0;
    return std::visit([](const auto& s) { return s.queued(); }, senders_[channel]);
  }

  [[nodiscard]] const ReliableEndpoint& endpoint() const noexcept { return endpoint_; }

 private:
  using Sender = std::variant<detail::ReliableSender, detail::UnreliableSender>;

  // Routes the endpoint's callbacks without putting them in the public interface.
  struct Events {
    Connection* self;
    PayloadVerdict on_payload(std::uint16_t, std::span<const std::byte> body) noexcept {
      return self->on_payload(body);
    }
    void on_acked(std::uint16_t seq) noexcept { self->on_packet_resolved(seq, true); }
    void on_lost(std::uint16_t seq) noexcept { self->on_packet_resolved(seq, false); }
    void on_ack_header(std::uint16_t ack, std::uint32_t bits) noexcept {
      self->header_ack_ = ack;
      self->header_bits_ = bits;
    }
  };

  // Checks the whole body against the receivers first: a refused or violating packet changes
  // nothing, so the peer's resend finds the same state.
  struct Checker {
    const Connection& c;
    PayloadVerdict message(const detail::WireMessage& m) const noexcept { return c.receivers_[m.channel].check(m); }
    PayloadVerdict fragment(const detail::WireFragment& f) const noexcept { return c.receivers_[f.channel].check(f); }
  };
  struct Applier {
    Connection& c;
    PayloadVerdict message(const detail::WireMessage& m) noexcept {
      c.receivers_[m.channel].apply(m, c.stats_.message_drops);
      return PayloadVerdict::accept;
    }
    PayloadVerdict fragment(const detail::WireFragment& f) noexcept {
      return c.receivers_[f.channel].apply(f, c.stats_.message_drops);
    }
  };

  void build_channels() {
    senders_.clear();
    receivers_.clear();
    senders_.reserve(config_.channels.size());
    receivers_.reserve(config_.channels.size());
    for (std::size_t i = 0; i < config_.channels.size(); ++i) {
      const ChannelConfig& c = config_.channels[i];
      const auto index = static_cast<std::uint8_t>(i);
      if (is_reliable(c.mode)) senders_.emplace_back(std::in_place_type<detail::ReliableSender>, c, index);
      else senders_.emplace_back(std::in_place_type<detail::UnreliableSender>, c, index);
      receivers_.emplace_back(c);
    }
  }

  static ConnectionConfig resolve(ConnectionConfig c) {
    for (ChannelConfig& ch : c.channels) ch = ch.resolved();
    return c;
  }

  PayloadVerdict on_payload(std::span<const std::byte> body) noexcept {
    Checker checker{*this};
    const PayloadVerdict verdict = detail::parse_body(body, config_.channels, checker);
    if (verdict != PayloadVerdict::accept) return verdict;
    Applier applier{*this};
    return detail::parse_body(body, config_.channels, applier);
  }

  void on_packet_resolved(std::uint16_t packet, bool acked) noexcept {
    refs_.resolve(packet, [&](const detail::MessageRef& ref) {
      std::visit([&](auto& s) {
        if constexpr (std::is_same_v<std::decay_t<decltype(s)>, detail::ReliableSender>) {
          if (acked) s.on_acked(ref, statuses_);
          else s.on_lost(ref, packet);
        } else if (acked && !overtaken(packet, ref.channel)) {
          s.on_acked(ref, statuses_);
        } else {
          s.on_lost(ref, statuses_);
        }
      }, senders_[ref.channel]);
    });
  }

  // True when the header that acked `packet` also acked a newer packet carrying `channel`: the
  // peer may have received that one first and dropped this packet's sequenced message as
  // stale, so Acked cannot be promised (an unreliable message is then reported Lost).
  [[nodiscard]] bool overtaken(std::uint16_t packet, std::uint8_t channel) const noexcept {
    if (config_.channels[channel].mode != ChannelMode::unreliable_sequenced) return false;
    for (auto p = static_cast<std::uint16_t>(packet + 1); sequence_distance(header_ack_, p) < 33; ++p) {
      const bool received = p == header_ack_ ||
          ((header_bits_ >> static_cast<std::uint16_t>(header_ack_ - 1 - p)) & 1u) != 0;
      const std::uint64_t* carried = channels_in_packet_.find(p);
      if (received && carried != nullptr && ((*carried >> channel) & 1u) != 0) return true;
      if (p == header_ack_) break;
    }
    return false;
  }

  // Channels in priority order, each within its own budget and what the packet has left.
  std::size_t fill_body(std::span<std::byte> body, std::uint64_t& channels) noexcept {
    detail::SendContext ctx{endpoint_.next_sequence(), refs_, statuses_};
    std::size_t used = 0;
    for (const std::uint8_t ch : order_) {
      std::size_t budget = body.size() - used;
      if (config_.channels[ch].packet_budget_bytes != 0)
        budget = std::min(budget, config_.channels[ch].packet_budget_bytes);
      detail::ChunkWriter w(body.subspan(used, budget), ch);
      std::visit([&](auto& s) { s.write(w, ctx); }, senders_[ch]);
      if (w.size() != 0) channels |= std::uint64_t{1} << ch;
      used += w.size();
    }
    return used;
  }

  detail::MemberArena arena_;  // first: the tables below take their storage from it
  ConnectionConfig config_;
  ReliableEndpoint endpoint_;
  detail::StatusTable statuses_;
  detail::PacketRefs refs_;
  std::vector<Sender> senders_;
  std::vector<detail::ChannelReceiver> receivers_;
  std::vector<std::uint8_t> order_;
  SequenceBuffer<std::uint64_t> channels_in_packet_;  // which channels each sent packet carried
  std::uint16_t header_ack_ = 0;                       // the ack header being processed
  std::uint32_t header_bits_ = 0;
  ConnectionStats stats_;
  Events events_{this};
};

}  // namespace courier
