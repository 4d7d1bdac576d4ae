#pragma once
/// \file
/// courier::netcode::Server: a netcode.io 1.02 server over any Transport (netcode.io 1.02 standard,
/// 'Server-Side Connection Process'; docs/PROTOCOL.md Part 1 §10). Raw payloads, no reliability:
/// the connection layer alone, byte-compatible with other netcode.io 1.02 implementations.
/// Requests pass detail::RequestGate; challenges come from detail::ChallengeIssuer.
///
/// One object, one thread; no internal threads. Call `update(now, unix_now)` once per tick,
/// then drain `poll_event()` and `receive()`. Nothing a datagram does can throw, abort or make
/// the server allocate; every drop is counted by reason in `stats().drops`.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "courier/core/clock.hpp"
#include "courier/core/drop_reason.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/crypto/netcode102.hpp"
#include "courier/netcode/challenge_issuer.hpp"
#include "courier/netcode/challenge_token.hpp"
#include "courier/netcode/client_slots.hpp"
#include "courier/netcode/netcode_config.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/netcode/encryption_manager.hpp"
#include "courier/netcode/events.hpp"
#include "courier/netcode/packet.hpp"
#include "courier/netcode/packet_reader.hpp"
#include "courier/netcode/payload_queue.hpp"
#include "courier/netcode/request_gate.hpp"
#include "courier/netcode/server_log.hpp"
#include "courier/core/fixed_ring.hpp"
#include "courier/netcode/netcode_stats.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/receive_batches.hpp"
#include "courier/transport/transport.hpp"

namespace courier::netcode {

/// A netcode.io server over transport `T` with crypto policy `C`.
template <Transport T, Crypto C = Netcode102>
class NetcodeServer {
 public:
  /// Takes the bound transport and starts. Throws std::system_error: Error::invalid_config
  /// (message names the field), Error::crypto_unavailable (e.g. Aes256Gcm without AES-NI).
  NetcodeServer(T transport, NetcodeServerConfig config)
      : transport_(std::move(transport)), config_(checked(std::move(config), transport_.local_address())),
        slots_(config_.max_clients), mappings_(config_.mappings()), payloads_(config_.payload_queue_size),
        events_(4 * config_.max_clients + 64), rx_(config_.receive_batch), log_(config_.log),
        gate_(config_, stats_, log_, events_) {
    warn_if_ports_differ();
    start();
  }

  /// Starts serving with a new challenge key and sequences (detail::ChallengeIssuer). No-op
  /// when running.
  void start() noexcept {
    if (running_) return;
    challenges_.restart(config_.randomize_global_sequence);
    running_ = true;
  }

  /// Disconnects every client (with disconnect packets), forgets pending handshakes and stops.
  /// The token history survives, so a token consumed before a restart stays refused after it;
  /// the restart rule (NetcodeServerConfig::max_token_lifetime) keeps its start time for the same
  /// reason: it stands in for the history a new process lacks, not this one.
  void stop() noexcept {
    if (!running_) return;
    disconnect_all(DisconnectReason::server_stopped);
    mappings_.clear();
    running_ = false;
  }

  [[nodiscard]] bool running() const noexcept { return running_; }

  /// The sequence the next challenge or denied packet will carry.
  [[nodiscard]] std::uint64_t next_global_sequence() const noexcept { return challenges_.next_global_sequence(); }

  /// Receives and handles datagrams, sends keep-alives, times clients out, flushes.
  void update(TimePoint now, UnixSeconds unix_now) noexcept {
    now_ = now;
    unix_now_ = unix_now;
    gate_.observe(unix_now);
    payloads_.release();
    transport_.update(now);
    if (running_) {
      receive_all();
      send_keep_alives();
      check_timeouts();
    }
    transport_.flush();
  }

  /// As update(now, unix_now), reading both from `clock`.
  template <Clock K>
  void update(const K& clock) noexcept {
    update(clock.now(), clock.unix_now());
  }

  /// Sends one payload (1..1200 bytes) to a connected client. Errors: not_connected,
  /// message_too_large. While the client is unconfirmed a keep-alive goes first, as in the
  /// reference, so the client learns it is connected even if it only ever receives payloads.
  std::error_code send(std::uint32_t client_index, std::span<const std::byte> payload) noexcept {
    if (!client_connected(client_index) || slots_[client_index].local) return Error::not_connected;
    if (payload.empty() || payload.size() > max_payload_bytes) return Error::message_too_large;
    ClientSlot& s = slots_[client_index];
    if (!s.confirmed) send_keep_alive(client_index);
    const std::size_t n = write_payload<C>(payload, s.sequence++, config_.protocol_id, s.send_key, tx_);
    send_datagram(s.address, PacketType::payload, n);
    s.last_send = now_;
    ++stats_.payloads_sent;
    return {};
  }

  /// The next received payload; its bytes stay valid until the next receive() or update().
  [[nodiscard]] std::optional<ReceivedPayload> receive() noexcept {
    return payloads_.receive([this](std::uint64_t connection, std::uint32_t index) {
      return slots_[index].connection == connection;
    });
  }

  /// Disconnects one client: disconnect packets, then the slot is freed.
  void disconnect(std::uint32_t client_index) noexcept {
    if (!client_connected(client_index)) return;
    if (slots_[client_index].local) return disconnect_local(client_index);
    send_disconnect_packets(client_index);
    free_slot(client_index, DisconnectReason::disconnected_by_application);
    transport_.flush();
  }

  /// Takes a slot for a client living in this process (host mode): it counts against
  /// max_clients and its id against duplicates, but has no address, keys, keep-alives or
  /// timeout, and produces no netcode events. Errors: connection_denied when the server is
  /// full, stopped, or `client_id` is already connected.
  [[nodiscard]] std::optional<std::uint32_t> connect_local(std::uint64_t client_id) noexcept {
    if (!running_ || slots_.has_client_id(client_id)) return std::nullopt;
    const std::int64_t i = slots_.take_local(client_id);
    if (i < 0) return std::nullopt;
    slots_[static_cast<std::uint32_t>(i)].connection = ++connection_counter_;
    return static_cast<std::uint32_t>(i);
  }

  /// Frees a slot taken by connect_local.
  void disconnect_local(std::uint32_t client_index) noexcept {
    if (client_index < slots_.capacity() && slots_[client_index].local) slots_.release(client_index);
  }

  [[nodiscard]] bool client_local(std::uint32_t i) const noexcept {
    return i < slots_.capacity() && slots_[i].connected && slots_[i].local;
  }

  /// Disconnects every connected client.
  void disconnect_all() noexcept { disconnect_all(DisconnectReason::disconnected_by_application); }
  /// The next event, if any.
  [[nodiscard]] std::optional<NetcodeServerEvent> poll_event() noexcept { return events_.take(); }
  /// Pushes queued datagrams out now (update() also flushes).
  void flush() noexcept { transport_.flush(); }

  [[nodiscard]] bool client_connected(std::uint32_t i) const noexcept {
    return running_ && i < slots_.capacity() && slots_[i].connected;
  }
  [[nodiscard]] std::uint64_t client_id(std::uint32_t i) const noexcept { return slots_[i].client_id; }
  [[nodiscard]] Address client_address(std::uint32_t i) const noexcept { return slots_[i].address; }
  [[nodiscard]] const UserData& client_user_data(std::uint32_t i) const noexcept { return slots_[i].user_data; }
  /// The slot of the client at `address`, if one is connected there (O(1)).
  [[nodiscard]] std::optional<std::uint32_t> find_client(const Address& address) const noexcept {
    const auto i = slots_.find_address(address);
    return i < 0 ? std::nullopt : std::optional<std::uint32_t>(static_cast<std::uint32_t>(i));
  }
  [[nodiscard]] std::size_t num_connected_clients() const noexcept { return slots_.connected(); }
  [[nodiscard]] std::size_t max_clients() const noexcept { return slots_.capacity(); }
  [[nodiscard]] std::size_t num_encryption_mappings() const noexcept { return mappings_.size(); }
  /// The unix second of the first update, where the restart rule counts from (none before it).
  [[nodiscard]] std::optional<UnixSeconds> started_unix() const noexcept { return gate_.started_unix(); }
  [[nodiscard]] const NetcodeServerStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const NetcodeServerConfig& config() const noexcept { return config_; }
  /// The address tokens must list; compare with bind_address().
  [[nodiscard]] Address public_address() const noexcept { return config_.public_address; }
  [[nodiscard]] Address bind_address() const noexcept { return transport_.local_address(); }
  [[nodiscard]] T& transport() noexcept { return transport_; }

 private:
  /// The config with its public address defaulted to the bound one, checked.
  static NetcodeServerConfig checked(NetcodeServerConfig config, Address bound) {
    if (config.public_address.is_none()) config.public_address = bound;
    if (auto why = config.check(); !why.empty())
      throw std::system_error(make_error_code(Error::invalid_config), "NetcodeServerConfig: " + why);
    if (!C::available())
      throw std::system_error(make_error_code(Error::crypto_unavailable),
                              std::string("crypto policy ") + C::name + " is not available on this machine");
    return config;
  }

  void warn_if_ports_differ() {
    const Address bound = transport_.local_address();
    if (bound.port() == config_.public_address.port()) return;
    log_.line("courier netcode server: public_address %s and bind address %s have different ports "
              "(correct only behind a port-forwarding NAT)", config_.public_address, bound);
  }

  void push_event(const NetcodeServerEvent& e) noexcept {
    if (!events_.push(e)) ++stats_.events_lost;
  }
  void drop(DropReason r) noexcept { stats_.drops.count(r); }

  void send_datagram(const Address& to, PacketType type, std::size_t n) noexcept {
    if (n == 0 || transport_.send(to, std::span<const std::byte>(tx_.data(), n))) {
      ++stats_.send_errors;
      return;
    }
    ++stats_.sent[static_cast<std::size_t>(type)];
  }

  // ---- receive path ---------------------------------------------------------------------

  void receive_all() noexcept {
    receive_batches(transport_, std::span(rx_), config_.max_datagrams_per_update,
                    [this](const Datagram& d) { process_datagram(d); });
  }

  void process_datagram(const Datagram& d) noexcept {
    const auto bytes = d.bytes();
    if (bytes.empty()) return drop(DropReason::too_small);
    if (bytes[0] == std::byte{0}) return process_request(d.from, bytes);
    const auto slot = slots_.find_address(d.from);
    EncryptionMapping* mapping = slot < 0 ? mappings_.find(d.from, now_) : nullptr;
    ReadContext ctx;
    ctx.protocol_id = config_.protocol_id;
    ctx.unix_now = unix_now_;
    ctx.allowed = server_packet_types;
    if (slot >= 0) {
      ctx.read_key = &slots_[static_cast<std::size_t>(slot)].receive_key;
      ctx.replay = &slots_[static_cast<std::size_t>(slot)].replay;
    } else if (mapping != nullptr) {
      ctx.read_key = &mapping->receive_key;
    }
    auto plain = payloads_.next_buffer();
    if (plain.empty()) plain = scratch_;
    const ReadResult r = read_packet<C>(bytes, ctx, plain);
    if (!r) return drop(r.reason);
    ++stats_.received[static_cast<std::size_t>(r.packet.type)];
    if (r.packet.type == PacketType::connection_response) return process_response(d.from, r.packet, mapping);
    if (slot < 0) return drop(DropReason::unknown_sender);
    process_connected(static_cast<std::uint32_t>(slot), r.packet, plain.data() != scratch_.data());
  }

  void process_request(const Address& from, std::span<const std::byte> bytes) noexcept {
    const detail::Admission a = gate_.admit(from, bytes, slots_, mappings_, now_, unix_now_, scratch_);
    if (a.verdict == detail::Admission::Verdict::denied) send_denied(from, a.token->server_to_client_key);
    if (a.verdict == detail::Admission::Verdict::challenge) send_challenge(from, *a.token);
  }

  void process_response(const Address& from, const PacketView& p, EncryptionMapping* mapping) noexcept {
    const auto challenge = challenges_.open(p);
    if (!challenge) return drop(DropReason::decrypt_failed);
    if (mapping == nullptr || slots_.find_address(from) >= 0 || slots_.has_client_id(challenge->client_id))
      return drop(DropReason::already_connected);
    if (slots_.full()) {
      send_denied(from, mapping->send_key);
      return drop(DropReason::server_full);
    }
    connect_client(from, *challenge, *mapping);
  }

  void connect_client(const Address& from, const ChallengeToken& challenge, const EncryptionMapping& m) noexcept {
    const auto index = static_cast<std::uint32_t>(slots_.take(from, challenge.client_id));
    ClientSlot& s = slots_[index];
    s.connection = ++connection_counter_;
    s.user_data = challenge.user_data;
    s.send_key = m.send_key;
    s.receive_key = m.receive_key;
    s.has_timeout = m.timeout_seconds > 0;
    s.timeout = std::chrono::seconds(s.has_timeout ? m.timeout_seconds : 0);
    s.last_receive = now_;
    s.last_send = now_;
    gate_.consume(m.token_tag);
    mappings_.remove(from);  // the slot holds the keys from now on; `m` is gone
    ++stats_.connections_accepted;
    NetcodeServerEvent e;
    e.type = ServerEventType::client_connected;
    e.client_index = index;
    e.client_id = s.client_id;
    e.address = from;
    e.connection = s.connection;
    push_event(e);
    send_keep_alive(index);
  }

  void process_connected(std::uint32_t index, const PacketView& p, bool in_queue) noexcept {
    ClientSlot& s = slots_[index];
    if (p.type == PacketType::disconnect) return free_slot(index, DisconnectReason::disconnected_by_peer);
    s.confirmed = true;
    s.last_receive = now_;
    if (p.type != PacketType::payload) return;
    if (!in_queue) return drop(DropReason::queue_full);
    payloads_.commit(s.connection, index, p.sequence, p.plaintext.size());
    ++stats_.payloads_received;
  }

  // ---- send path ------------------------------------------------------------------------

  void send_denied(const Address& to, const Key& key) noexcept {
    send_datagram(to, PacketType::connection_denied, challenges_.write_denied(config_.protocol_id, key, tx_));
  }

  void send_challenge(const Address& to, const ConnectTokenPrivate& token) noexcept {
    if (const std::size_t n = challenges_.write_challenge(config_.protocol_id, token, tx_))
      send_datagram(to, PacketType::connection_challenge, n);
  }

  void send_keep_alive(std::uint32_t index) noexcept {
    ClientSlot& s = slots_[index];
    const std::size_t n = write_keep_alive<C>(index, static_cast<std::uint32_t>(slots_.capacity()), s.sequence++,
                                              config_.protocol_id, s.send_key, tx_);
    send_datagram(s.address, PacketType::keep_alive, n);
    s.last_send = now_;
  }

  void send_keep_alives() noexcept {
    for (std::uint32_t i = 0; i < slots_.capacity(); ++i)
      if (slots_[i].connected && !slots_[i].local && slots_[i].last_send + config_.keep_alive_interval <= now_)
        send_keep_alive(i);
  }

  void send_disconnect_packets(std::uint32_t index) noexcept {
    ClientSlot& s = slots_[index];
    for (std::size_t k = 0; k < config_.num_disconnect_packets; ++k)
      send_datagram(s.address, PacketType::disconnect,
                    write_disconnect<C>(s.sequence++, config_.protocol_id, s.send_key, tx_));
    s.last_send = now_;
  }

  // ---- slots ----------------------------------------------------------------------------

  void check_timeouts() noexcept {
    for (std::uint32_t i = 0; i < slots_.capacity(); ++i) {
      const ClientSlot& s = slots_[i];
      if (s.connected && !s.local && s.has_timeout && s.last_receive + s.timeout <= now_)
        free_slot(i, DisconnectReason::timed_out);
    }
  }

  void free_slot(std::uint32_t index, DisconnectReason reason) noexcept {
    ClientSlot& s = slots_[index];
    NetcodeServerEvent e;
    e.type = ServerEventType::client_disconnected;
    e.client_index = index;
    e.client_id = s.client_id;
    e.address = s.address;
    e.reason = reason;
    e.connection = s.connection;
    mappings_.remove(s.address);
    slots_.release(index);
    push_event(e);
  }

  void disconnect_all(DisconnectReason reason) noexcept {
    for (std::uint32_t i = 0; i < slots_.capacity(); ++i) {
      if (!slots_[i].connected) continue;
      if (slots_[i].local) {
        disconnect_local(i);
        continue;
      }
      send_disconnect_packets(i);
      free_slot(i, reason);
    }
    transport_.flush();
  }

  T transport_;
  NetcodeServerConfig config_;
  ClientSlots slots_;
  EncryptionManager mappings_;
  detail::PayloadQueue payloads_;
  courier::detail::FixedRing<NetcodeServerEvent> events_;
  std::vector<Datagram> rx_;
  std::array<std::byte, max_packet_bytes> tx_{};
  std::array<std::byte, max_packet_bytes> scratch_{};
  NetcodeServerStats stats_;
  detail::ChallengeIssuer<C> challenges_;
  detail::ServerLog log_;
  detail::RequestGate<C> gate_;
  std::uint64_t connection_counter_ = 0;
  TimePoint now_{};
  UnixSeconds unix_now_ = 0;
  bool running_ = false;
};

}  // namespace courier::netcode
