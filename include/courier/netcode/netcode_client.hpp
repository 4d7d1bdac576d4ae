#pragma once
/// \file
/// courier::netcode::Client: a netcode.io 1.02 client over any Transport (netcode.io 1.02 standard, 'Client State Machine';
/// docs/PROTOCOL.md Part 1 §9).
/// It tries each server of the connect token in order, sends requests and responses at 10 Hz,
/// keeps the connection alive, and ends in one of netcode's ten states. Raw payloads only.
///
/// Deliberate differences from the reference client, both safe for interoperability:
/// - the token-expiry budget (expire - create) covers the whole attempt over all servers, as
///   the standard says (the reference restarts it per server);
/// - a disconnect from a connected server ends the connection instead of trying the next server.
///
/// One object, one thread; no internal threads. No allocation after construction.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "courier/core/chrono.hpp"
#include "courier/core/drop_reason.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/crypto/netcode102.hpp"
#include "courier/netcode/challenge_token.hpp"
#include "courier/netcode/netcode_config.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/netcode/events.hpp"
#include "courier/netcode/packet.hpp"
#include "courier/netcode/packet_reader.hpp"
#include "courier/netcode/payload_queue.hpp"
#include "courier/netcode/replay_protection.hpp"
#include "courier/core/fixed_ring.hpp"
#include "courier/netcode/netcode_stats.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/receive_batches.hpp"
#include "courier/transport/transport.hpp"

namespace courier::netcode {

/// A netcode.io client over transport `T` with crypto policy `C`.
template <Transport T, Crypto C = Netcode102>
class NetcodeClient {
 public:
  /// Takes the bound transport. Throws std::system_error: Error::invalid_config,
  /// Error::crypto_unavailable.
  explicit NetcodeClient(T transport, NetcodeClientConfig config = {})
      : transport_(std::move(transport)), config_(checked(std::move(config))),
        payloads_(config_.payload_queue_size), events_(64), rx_(config_.receive_batch) {}

  /// Starts connecting with a 2048-byte connect token (an implicit disconnect() first). An
  /// unreadable token ends in ClientState::invalid_connect_token and Error::invalid_connect_token.
  std::error_code connect(std::span<const std::byte> token, TimePoint now) noexcept {
    disconnect();
    now_ = now;
    auto parsed = read_connect_token(token);
    if (!parsed) {
      fail(ClientState::invalid_connect_token);
      return Error::invalid_connect_token;
    }
    token_ = *parsed;
    server_index_ = 0;
    server_address_ = token_.server_addresses[0];
    sequence_ = 0;
    connect_start_ = now;
    prepare_attempt();
    return {};
  }

  /// Receives, sends (request / response / keep-alive at 10 Hz), applies expiry and timeouts.
  void update(TimePoint now) noexcept {
    now_ = now;
    payloads_.release();
    transport_.update(now);
    receive_all();
    send_packets();
    check_state();
    transport_.flush();
  }

  /// Ends the connection or attempt; a client past `disconnected` sends redundant disconnect
  /// packets so the server frees the slot at once.
  void disconnect() noexcept {
    if (state_ <= ClientState::disconnected) return;
    for (std::size_t k = 0; k < config_.num_disconnect_packets; ++k)
      send(PacketType::disconnect, write_disconnect<C>(sequence_++, token_.protocol_id, token_.client_to_server_key, tx_));
    transport_.flush();
    finish(ClientState::disconnected, DisconnectReason::disconnected_by_application);
  }

  /// Sends one payload (1..1200 bytes). Errors: not_connected, message_too_large.
  std::error_code send(std::span<const std::byte> payload) noexcept {
    if (state_ != ClientState::connected) return Error::not_connected;
    if (payload.empty() || payload.size() > max_payload_bytes) return Error::message_too_large;
    send(PacketType::payload, write_payload<C>(payload, sequence_++, token_.protocol_id, token_.client_to_server_key, tx_));
    ++stats_.payloads_sent;
    return {};
  }

  /// The next received payload; its bytes stay valid until the next receive() or update().
  [[nodiscard]] std::optional<ReceivedPayload> receive() noexcept {
    return payloads_.receive([this](std::uint64_t connection, std::uint32_t) {
      return connection == connection_;
    });
  }

  /// The next event, if any.
  [[nodiscard]] std::optional<NetcodeClientEvent> poll_event() noexcept { return events_.take(); }

  /// Pushes queued datagrams out now (update() also flushes).
  void flush() noexcept { transport_.flush(); }

  [[nodiscard]] ClientState state() const noexcept { return state_; }
  [[nodiscard]] bool connected() const noexcept { return state_ == ClientState::connected; }
  /// The slot the server gave us, and its max clients (valid when connected).
  [[nodiscard]] std::uint32_t client_index() const noexcept { return client_index_; }
  [[nodiscard]] std::uint32_t max_clients() const noexcept { return max_clients_; }
  /// The server being tried or connected to, and its position in the token.
  [[nodiscard]] Address server_address() const noexcept { return server_address_; }
  [[nodiscard]] std::size_t server_index() const noexcept { return server_index_; }
  [[nodiscard]] const NetcodeClientStats& stats() const noexcept { return stats_; }
  [[nodiscard]] T& transport() noexcept { return transport_; }

 private:
  static NetcodeClientConfig checked(NetcodeClientConfig config) {
    if (auto why = config.check(); !why.empty())
      throw std::system_error(make_error_code(Error::invalid_config), "NetcodeClientConfig: " + why);
    if (!C::available())
      throw std::system_error(make_error_code(Error::crypto_unavailable),
                              std::string("crypto policy ") + C::name + " is not available on this machine");
    return config;
  }

  /// Fresh per-server state: send a request at the next update.
  void prepare_attempt() noexcept {
    state_ = ClientState::sending_connection_request;
    last_send_ = now_ - std::chrono::seconds(1);
    last_receive_ = now_;
    pending_ = ClientState::disconnected;
    should_disconnect_ = false;
    challenge_sequence_ = 0;
    challenge_token_ = {};
    replay_.reset();
  }

  bool connect_to_next_server() noexcept {
    if (server_index_ + 1 >= token_.server_addresses.size()) return false;
    server_address_ = token_.server_addresses[++server_index_];
    prepare_attempt();
    return true;
  }

  void push_event(ClientEventType type, DisconnectReason reason) noexcept {
    if (!events_.push(NetcodeClientEvent{type, reason, state_, server_address_})) ++stats_.events_lost;
  }

  /// An error state reached before or after connecting; sends nothing.
  void fail(ClientState error) noexcept {
    finish(error, reason_of(error));
  }

  void finish(ClientState state, DisconnectReason reason) noexcept {
    const bool was_connected = state_ == ClientState::connected;
    state_ = state;
    should_disconnect_ = false;
    push_event(was_connected ? ClientEventType::disconnected : ClientEventType::connect_failed, reason);
  }

  void send(PacketType type, std::size_t n) noexcept {
    if (n == 0 || transport_.send(server_address_, std::span<const std::byte>(tx_.data(), n))) {
      ++stats_.send_errors;
    } else {
      ++stats_.sent[static_cast<std::size_t>(type)];
    }
    last_send_ = now_;
  }

  // ---- receive path ---------------------------------------------------------------------

  void receive_all() noexcept {
    receive_batches(transport_, std::span(rx_), config_.max_datagrams_per_update,
                    [this](const Datagram& d) { process_datagram(d); });
  }

  void process_datagram(const Datagram& d) noexcept {
    if (state_ <= ClientState::disconnected || !(d.from == server_address_))
      return stats_.drops.count(DropReason::unknown_sender);
    ReadContext ctx;
    ctx.protocol_id = token_.protocol_id;
    ctx.allowed = client_packet_types;
    ctx.read_key = &token_.server_to_client_key;
    ctx.replay = &replay_;
    auto plain = payloads_.next_buffer();
    if (plain.empty()) plain = scratch_;
    const ReadResult r = read_packet<C>(d.bytes(), ctx, plain);
    if (!r) return stats_.drops.count(r.reason);
    ++stats_.received[static_cast<std::size_t>(r.packet.type)];
    if (!process_packet(r.packet, plain.data() != scratch_.data())) stats_.drops.count(DropReason::stale);
  }

  /// Applies an authenticated packet; false when the current state has no use for it.
  bool process_packet(const PacketView& p, bool in_queue) noexcept {
    const bool handshaking = state_ == ClientState::sending_connection_request ||
                             state_ == ClientState::sending_connection_response;
    switch (p.type) {
      case PacketType::connection_denied:
        if (!handshaking) return false;
        return mark_disconnect(ClientState::connection_denied);
      case PacketType::connection_challenge:
        if (state_ != ClientState::sending_connection_request) return false;
        challenge_sequence_ = p.challenge_sequence;
        std::copy(p.challenge_token.begin(), p.challenge_token.end(), challenge_token_.begin());
        state_ = ClientState::sending_connection_response;
        // Answer the challenge in this same update instead of at the next 10 Hz tick: the
        // handshake costs one round trip per step, not 100 ms (the reference waits; its server
        // accepts either). Later responses (when this one is lost) keep the 10 Hz pace.
        last_send_ = now_ - 2 * config_.send_interval;
        break;
      case PacketType::keep_alive: return on_keep_alive(p);
      case PacketType::payload: return on_payload(p, in_queue);
      case PacketType::disconnect:
        if (state_ != ClientState::connected) return false;
        return mark_disconnect(ClientState::disconnected);
      default: return false;
    }
    last_receive_ = now_;
    return true;
  }

  bool mark_disconnect(ClientState next) noexcept {
    should_disconnect_ = true;
    pending_ = next;
    last_receive_ = now_;
    return true;
  }

  bool on_keep_alive(const PacketView& p) noexcept {
    if (state_ == ClientState::sending_connection_response) {
      client_index_ = p.client_index;
      max_clients_ = p.max_clients;
      state_ = ClientState::connected;
      ++connection_;
      push_event(ClientEventType::connected, DisconnectReason::none);
    } else if (state_ != ClientState::connected) {
      return false;
    }
    last_receive_ = now_;
    return true;
  }

  bool on_payload(const PacketView& p, bool in_queue) noexcept {
    if (state_ != ClientState::connected) return false;
    last_receive_ = now_;
    if (!in_queue) {
      stats_.drops.count(DropReason::queue_full);
      return true;
    }
    payloads_.commit(connection_, 0, p.sequence, p.plaintext.size());
    ++stats_.payloads_received;
    return true;
  }

  // ---- send path and state checks -----------------------------------------------------

  void send_packets() noexcept {
    if (last_send_ + config_.send_interval >= now_) return;  // the reference's strict 10 Hz test
    switch (state_) {
      case ClientState::sending_connection_request: send_request(); break;
      case ClientState::sending_connection_response:
        send(PacketType::connection_response,
             write_challenge_or_response<C>(PacketType::connection_response, challenge_sequence_, challenge_token_,
                                            sequence_++, token_.protocol_id, token_.client_to_server_key, tx_));
        break;
      case ClientState::connected:
        send(PacketType::keep_alive,
             write_keep_alive<C>(0, 0, sequence_++, token_.protocol_id, token_.client_to_server_key, tx_));
        break;
      default: break;
    }
  }

  /// The request is not encrypted but still consumes a sequence number, as in the reference.
  void send_request() noexcept {
    ConnectionRequestPacket p;
    p.protocol_id = token_.protocol_id;
    p.expire_timestamp = token_.expire_timestamp;
    p.nonce = token_.nonce;
    p.private_data = token_.private_data;
    ++sequence_;
    send(PacketType::connection_request, write_connection_request(p, tx_));
  }

  void check_state() noexcept {
    const bool handshaking = state_ == ClientState::sending_connection_request ||
                             state_ == ClientState::sending_connection_response;
    if (handshaking && token_expired()) return fail(ClientState::connect_token_expired);
    if (should_disconnect_) {
      if (pending_ == ClientState::connection_denied && connect_to_next_server()) return;
      if (pending_ == ClientState::disconnected) return finish(ClientState::disconnected, DisconnectReason::disconnected_by_peer);
      return fail(pending_);
    }
    if (!timed_out()) return;
    if (state_ == ClientState::connected) return fail(ClientState::connection_timed_out);
    if (connect_to_next_server()) return;
    fail(state_ == ClientState::sending_connection_request ? ClientState::connection_request_timed_out
                                                           : ClientState::connection_response_timed_out);
  }

  /// The whole attempt, over every server, must finish within expire - create seconds.
  [[nodiscard]] bool token_expired() const noexcept {
    const UnixSeconds budget = token_.expire_timestamp - token_.create_timestamp;
    if (budget > 1'000'000'000) return false;  // "never expires" tokens: no budget
    return now_ - connect_start_ >= std::chrono::seconds(budget);
  }

  [[nodiscard]] bool timed_out() const noexcept {
    if (state_ <= ClientState::disconnected || token_.timeout_seconds <= 0) return false;
    return last_receive_ + std::chrono::seconds(token_.timeout_seconds) < now_;
  }

  T transport_;
  NetcodeClientConfig config_;
  detail::PayloadQueue payloads_;
  courier::detail::FixedRing<NetcodeClientEvent> events_;
  std::vector<Datagram> rx_;
  std::array<std::byte, max_packet_bytes> tx_{};
  std::array<std::byte, max_packet_bytes> scratch_{};
  ConnectTokenContents token_;
  NetcodeClientStats stats_;
  ReplayProtection<> replay_;
  EncryptedChallengeToken challenge_token_{};
  ClientState state_ = ClientState::disconnected;
  ClientState pending_ = ClientState::disconnected;
  bool should_disconnect_ = false;
  Address server_address_;
  std::size_t server_index_ = 0;
  std::uint64_t sequence_ = 0;
  std::uint64_t challenge_sequence_ = 0;
  std::uint64_t connection_ = 0;
  std::uint32_t client_index_ = 0;
  std::uint32_t max_clients_ = 0;
  TimePoint now_{};
  TimePoint last_send_{};
  TimePoint last_receive_{};
  TimePoint connect_start_{};
};

}  // namespace courier::netcode
