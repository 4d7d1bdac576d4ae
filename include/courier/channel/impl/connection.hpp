#pragma once
/// \file
/// Connection's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include <algorithm>
#include <cstring>
#include <memory>
#include <type_traits>

#include "courier/channel/connection.hpp"

namespace courier {

// Routes the endpoint's callbacks without putting them in the public interface.
struct Connection::Events {
  Connection* self;
  TimePoint now;
  PayloadVerdict on_payload(std::uint16_t, std::span<const std::byte> body) noexcept {
    return self->on_payload(body);
  }
  void on_acked(std::uint16_t seq) noexcept {
    if (self->rate_) self->rate_->on_acked(seq, now);
    self->on_packet_resolved(seq, true);
  }
  void on_lost(std::uint16_t seq) noexcept {
    if (self->rate_) self->rate_->on_lost(seq, now);
    self->on_packet_resolved(seq, false);
  }
  void on_late_ack(std::uint16_t seq) noexcept {
    if (self->rate_) self->rate_->on_late_ack(seq, now);
  }
  void on_ack_header(std::uint16_t ack, std::uint32_t bits) noexcept {
    self->header_ack_ = ack;
    self->header_bits_ = bits;
  }
};

// Checks the whole body against the receivers first: a refused or violating packet changes
// nothing, so the peer's resend finds the same state.
struct Connection::Checker {
  const Connection& c;
  PayloadVerdict message(const detail::WireMessage& m) const noexcept { return c.receivers_[m.channel].check(m); }
  PayloadVerdict fragment(const detail::WireFragment& f) const noexcept { return c.receivers_[f.channel].check(f); }
};

struct Connection::Applier {
  Connection& c;
  PayloadVerdict message(const detail::WireMessage& m) noexcept {
    c.receivers_[m.channel].apply(m, c.counters_.message_drops);
    return PayloadVerdict::accept;
  }
  PayloadVerdict fragment(const detail::WireFragment& f) noexcept {
    return c.receivers_[f.channel].apply(f, c.counters_.message_drops);
  }
};

COURIER_DECL Connection::Connection(ConnectionConfig config)
    : config_((config.validate(), resolve(std::move(config)))),
      endpoint_(config_.endpoint),
      statuses_(config_.status_capacity),
      refs_(config_.max_messages_in_flight, config_.endpoint.sent_packets),
      channels_in_packet_(config_.endpoint.sent_packets),
      rate_(make_rate_controller()) {
  build_channels();
  tables_.done();
  for (std::size_t i = 0; i < config_.channels.size(); ++i) order_.push_back(static_cast<std::uint8_t>(i));
  std::stable_sort(order_.begin(), order_.end(), [this](std::uint8_t a, std::uint8_t b) {
    return config_.channels[a].priority > config_.channels[b].priority;
  });
}

COURIER_DECL Connection::~Connection() = default;

COURIER_DECL SendResult Connection::send(std::size_t channel, std::uint32_t message_id,
                                         std::span<const std::byte> bytes) noexcept {
  SendResult r;
  if (channel >= config_.channels.size() || message_id >= config_.channels[channel].message_id_count)
    r.error = Error::invalid_config;
  else if (bytes.size() > config_.channels[channel].max_message_bytes)
    r.error = Error::message_too_large;
  else
    r.error = std::visit([&](auto& s) { return s.send(message_id, bytes, now_, statuses_, r.handle); },
                         senders_[channel]);
  ++(r.error ? counters_.messages_refused : counters_.messages_sent);
  if (!r.error) last_send_ = now_, queues_trimmed_ = false;
  return r;
}

COURIER_DECL std::size_t Connection::write_packet(TimePoint now, std::span<std::byte> out) noexcept {
  if (out.size() < max_datagram_payload_bytes) return 0;
  now_ = std::max(now_, now);
  if (endpoint_.fragments_pending()) return endpoint_.next_fragment(now, out);
  const bool direct = config_.packet_budget_bytes <= max_datagram_payload_bytes;
  const std::span<std::byte> target =
      direct ? out.first(config_.packet_budget_bytes) : endpoint_.staging().first(config_.packet_budget_bytes);
  const std::size_t head = endpoint_.begin_packet(target);
  const std::uint64_t first_ref = refs_.head();
  std::uint64_t channels = 0;
  const std::size_t body = may_send_data(now) ? fill_body(target.subspan(head), channels) : 0;
  if (body == 0 && !endpoint_.ack_due(now)) return 0;
  Events events{this, now};
  const std::uint16_t seq = endpoint_.end_packet(now, target.first(head + body), head, events);
  if (body != 0 && rate_) rate_->on_sent(seq, static_cast<std::uint32_t>(head + body), now);
  refs_.commit(seq, first_ref);
  *channels_in_packet_.insert(seq) = channels;
  ++counters_.packets_written;
  if (direct) return head + body;
  if (!endpoint_.fragments_pending()) {
    std::memcpy(out.data(), target.data(), head + body);
    return head + body;
  }
  return endpoint_.next_fragment(now, out);
}

COURIER_DECL std::error_code Connection::read_packet(TimePoint now, std::span<const std::byte> payload) noexcept {
  now_ = std::max(now_, now);
  Events events{this, now};
  const std::error_code ec = endpoint_.read_packet(now, payload, events);
  if (ec) ++counters_.protocol_violations;
  return ec;
}

COURIER_DECL std::optional<ReceivedMessage> Connection::receive(std::size_t channel) noexcept {
  if (channel >= receivers_.size()) return std::nullopt;
  auto m = receivers_[channel].receive();
  if (m) ++counters_.messages_received;
  return m;
}

COURIER_DECL void Connection::update(TimePoint now) noexcept {
  now_ = std::max(now_, now);
  Events events{this, now};
  endpoint_.update(now, events);
  if (expiring_channels_ != 0) expire_old_messages(now);
  if (!queues_trimmed_ && now - last_send_ >= quiet_before_trim) {
    queues_trimmed_ = true;
    for (auto& s : senders_)
      if (!std::visit([](auto& sender) { return sender.trim(); }, s)) queues_trimmed_ = false;  // again later
  }
}

COURIER_DECL void Connection::drop_all(Error reason) noexcept {
  for (auto& s : senders_) std::visit([&](auto& sender) { sender.drop_all(statuses_, reason); }, s);
}

COURIER_DECL void Connection::reset(Error reason) {
  drop_all(reason);
  {
    const detail::MeterScope counting(tables_.meter());  // the old tables leave it as they go
    endpoint_ = ReliableEndpoint(config_.endpoint);
    statuses_ = detail::StatusTable(statuses_);  // kept (earlier handles stay readable), moved over
    refs_ = detail::PacketRefs(config_.max_messages_in_flight, config_.endpoint.sent_packets);
    channels_in_packet_ = SequenceBuffer<std::uint64_t>(config_.endpoint.sent_packets);
    rate_ = make_rate_controller();
    build_channels();
  }
  header_ack_ = 0;
  header_bits_ = 0;
  counters_ = {};
}

COURIER_DECL ConnectionStats Connection::stats() const noexcept {
  return ConnectionStats{counters_, endpoint_.stats(), rate_ ? rate_->stats() : RateStats{}};
}

COURIER_DECL std::size_t Connection::queued(std::size_t channel) const noexcept {
  if (channel >= senders_.size()) return 0;
  return std::visit([](const auto& s) { return s.queued(); }, senders_[channel]);
}

// Only channels with a max_send_delay are visited (a bit each in expiring_channels_).
COURIER_DECL void Connection::expire_old_messages(TimePoint now) noexcept {
  for (std::size_t ch = 0; ch < senders_.size(); ++ch)
    if (((expiring_channels_ >> ch) & 1u) != 0)
      std::visit([&](auto& sender) { sender.expire(now, statuses_); }, senders_[ch]);
}

COURIER_DECL ChannelStats Connection::channel_stats(std::size_t channel) const noexcept {
  if (channel >= senders_.size()) return {};
  return std::visit([&](const auto& s) {
    return ChannelStats{s.queued(), s.queue_delay(now_), s.dropped_congestion()};
  }, senders_[channel]);
}

COURIER_DECL std::unique_ptr<detail::RateController> Connection::make_rate_controller() const {
  if (!config_.rate.enabled) return nullptr;
  return std::make_unique<detail::RateController>(config_.rate, config_.endpoint.sent_packets);
}

COURIER_DECL void Connection::build_channels() {
  senders_.clear();
  expiring_channels_ = 0;
  receivers_.clear();
  senders_.reserve(config_.channels.size());
  receivers_.reserve(config_.channels.size());
  for (std::size_t i = 0; i < config_.channels.size(); ++i) {
    const ChannelConfig& c = config_.channels[i];
    const auto index = static_cast<std::uint8_t>(i);
    if (is_reliable(c.mode)) senders_.emplace_back(std::in_place_type<detail::ReliableSender>, c, index);
    else senders_.emplace_back(std::in_place_type<detail::UnreliableSender>, c, index);
    receivers_.emplace_back(c);
    if (c.max_send_delay != Duration::zero()) expiring_channels_ |= std::uint64_t{1} << i;
  }
}

COURIER_DECL ConnectionConfig Connection::resolve(ConnectionConfig c) {
  for (ChannelConfig& ch : c.channels) ch = ch.resolved();
  return c;
}

COURIER_DECL PayloadVerdict Connection::on_payload(std::span<const std::byte> body) noexcept {
  Checker checker{*this};
  const PayloadVerdict verdict = detail::parse_body(body, config_.channels, checker);
  if (verdict != PayloadVerdict::accept) return verdict;
  Applier applier{*this};
  return detail::parse_body(body, config_.channels, applier);
}

COURIER_DECL void Connection::on_packet_resolved(std::uint16_t packet, bool acked) noexcept {
  refs_.resolve(packet, [&](const detail::MessageRef& ref) {
    std::visit([&](auto& s) {
      if constexpr (std::is_same_v<std::decay_t<decltype(s)>, detail::ReliableSender>) {
        if (acked) s.on_acked(ref, statuses_);
        else s.on_lost(ref, packet);
      } else if (!acked) {
        s.on_lost(ref, statuses_);
      } else if (const auto last = s.last_packet_of(ref, packet); last && overtaken(*last, ref.channel)) {
        s.on_lost(ref, statuses_);
      } else {
        s.on_acked(ref, statuses_);
      }
    }, senders_[ref.channel]);
  });
}

// True when the header that acked `packet` also acked a newer packet carrying `channel`: the
// peer may have received that one first and dropped this packet's sequenced message as
// stale, so Acked cannot be promised (an unreliable message is then reported Lost).
COURIER_DECL bool Connection::overtaken(std::uint16_t packet, std::uint8_t channel) const noexcept {
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

// With the controller on: data waits while the pacer or the window says so; a write that
// finds nothing to send marks the flight app-limited (its delivery samples are lower bounds).
COURIER_DECL bool Connection::may_send_data(TimePoint now) noexcept {
  if (!rate_) return true;
  if (!has_unsent()) {
    rate_->on_idle();
    return false;
  }
  return rate_->may_send(now);
}

COURIER_DECL bool Connection::has_unsent() const noexcept {
  for (const Sender& s : senders_)
    if (std::visit([](const auto& sender) { return sender.has_unsent(); }, s)) return true;
  return false;
}

// Channels in priority order, each within its own budget and what the packet has left.
COURIER_DECL std::size_t Connection::fill_body(std::span<std::byte> body, std::uint64_t& channels) noexcept {
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

}  // namespace courier
