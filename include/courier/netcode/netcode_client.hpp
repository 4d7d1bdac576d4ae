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
/// - a disconnect from a connected server ends the connection instead of trying the next server;
/// - over a transport that reports unreachable peers (transport/unreachable.hpp, e.g.
///   WebSocketClient), a server whose connection failed is skipped at once, and a connection
///   whose link closed ends at once (as a timeout would), without waiting for the timeout.
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
#include "courier/core/config.hpp"
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
#include "courier/transport/udp.hpp"
#include "courier/transport/unreachable.hpp"

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
  std::error_code connect(std::span<const std::byte> token, TimePoint now) noexcept;

  /// Receives, sends (request / response / keep-alive at 10 Hz), applies expiry and timeouts.
  void update(TimePoint now) noexcept;

  /// Ends the connection or attempt; a client past `disconnected` sends redundant disconnect
  /// packets so the server frees the slot at once.
  void disconnect() noexcept;

  /// Sends one payload (1..1200 bytes). Errors: not_connected, message_too_large.
  std::error_code send(std::span<const std::byte> payload) noexcept;

  /// The next received payload; its bytes stay valid until the next receive() or update().
  [[nodiscard]] std::optional<ReceivedPayload> receive() noexcept;

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
  static NetcodeClientConfig checked(NetcodeClientConfig config);

  /// Fresh per-server state: send a request at the next update.
  void prepare_attempt() noexcept;

  bool connect_to_next_server() noexcept;

  /// Acts on the transport's unreachable reports (nothing for transports without them).
  void check_unreachable() noexcept {
    if constexpr (ReportsUnreachable<T>) {
      while (const auto a = transport_.take_unreachable())
        if (*a == server_address_ && state_ > ClientState::disconnected) server_unreachable();
    }
  }

  /// The current server cannot be reached: the next one of the token, or the end.
  void server_unreachable() noexcept;

  void push_event(ClientEventType type, DisconnectReason reason) noexcept {
    if (!events_.push(NetcodeClientEvent{type, reason, state_, server_address_})) ++stats_.events_lost;
  }

  /// An error state reached before or after connecting; sends nothing.
  void fail(ClientState error) noexcept {
    finish(error, reason_of(error));
  }

  void finish(ClientState state, DisconnectReason reason) noexcept;

  void send(PacketType type, std::size_t n) noexcept;

  // ---- receive path ---------------------------------------------------------------------

  void receive_all() noexcept {
    receive_batches(transport_, std::span(rx_), config_.max_datagrams_per_update, Duration::zero(),
                    [this](const Datagram& d) { process_datagram(d); });
  }

  void process_datagram(const Datagram& d) noexcept;

  /// Applies an authenticated packet; false when the current state has no use for it.
  bool process_packet(const PacketView& p, bool in_queue) noexcept;

  bool mark_disconnect(ClientState next) noexcept;

  bool on_keep_alive(const PacketView& p) noexcept;

  bool on_payload(const PacketView& p, bool in_queue) noexcept;

  // ---- send path and state checks -----------------------------------------------------

  void send_packets() noexcept;

  /// The request is not encrypted but still consumes a sequence number, as in the reference.
  void send_request() noexcept;

  void check_state() noexcept;

  /// The whole attempt, over every server, must finish within expire - create seconds.
  [[nodiscard]] bool token_expired() const noexcept;

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

#include "courier/netcode/impl/netcode_client.hpp"

#if defined(COURIER_SEPARATE_COMPILATION)
namespace courier::netcode {
// The usual client, compiled once by courier/impl/src.hpp (core/config.hpp).
extern template class NetcodeClient<Udp, Netcode102>;
}  // namespace courier::netcode
#endif

