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
#include "courier/core/config.hpp"
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
#include "courier/netcode/flood_watch.hpp"
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
#include "courier/transport/udp.hpp"
#include "courier/transport/unreachable.hpp"

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
  void start() noexcept;

  /// Disconnects every client (with disconnect packets), forgets pending handshakes and stops.
  /// The token history survives, so a token consumed before a restart stays refused after it;
  /// the restart rule (NetcodeServerConfig::max_token_lifetime) keeps its start time for the same
  /// reason: it stands in for the history a new process lacks, not this one.
  void stop() noexcept;

  [[nodiscard]] bool running() const noexcept { return running_; }

  /// The sequence the next challenge or denied packet will carry.
  [[nodiscard]] std::uint64_t next_global_sequence() const noexcept { return challenges_.next_global_sequence(); }

  /// Receives and handles datagrams, sends keep-alives, times clients out, flushes. Reading
  /// stops after `receive_budget` of real time (zero: no time bound; see
  /// NetcodeServerConfig::receive_time_per_update).
  void update(TimePoint now, UnixSeconds unix_now, Duration receive_budget) noexcept;

  /// As above with the config's receive_time_per_update: `now` is real time.
  void update(TimePoint now, UnixSeconds unix_now) noexcept { update(now, unix_now, config_.receive_time_per_update); }

  /// As update(now, unix_now), reading both from `clock`; under a simulated clock
  /// (ManualClock) the receive budget of real time is off.
  template <Clock K>
  void update(const K& clock) noexcept {
    update(clock.now(), clock.unix_now(), receive_budget_under<K>());
  }

  /// The receive budget an update under clock type `K` uses.
  template <Clock K>
  [[nodiscard]] Duration receive_budget_under() const noexcept {
    return is_simulated_clock<K> ? Duration::zero() : config_.receive_time_per_update;
  }

  /// Sends one payload (1..1200 bytes) to a connected client. Errors: not_connected,
  /// message_too_large. While the client is unconfirmed a keep-alive goes first, as in the
  /// reference, so the client learns it is connected even if it only ever receives payloads.
  std::error_code send(std::uint32_t client_index, std::span<const std::byte> payload) noexcept;

  /// The next received payload; its bytes stay valid until the next receive() or update().
  [[nodiscard]] std::optional<ReceivedPayload> receive() noexcept;

  /// Disconnects one client: disconnect packets, then the slot is freed.
  void disconnect(std::uint32_t client_index) noexcept;

  /// Takes a slot for a client living in this process (host mode): it counts against
  /// max_clients and its id against duplicates, but has no address, keys, keep-alives or
  /// timeout, and produces no netcode events. Errors: connection_denied when the server is
  /// full, stopped, or `client_id` is already connected.
  [[nodiscard]] std::optional<std::uint32_t> connect_local(std::uint64_t client_id) noexcept;

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
  /// Starts the token history (and the restart rule's count) at `unix_now` if no update has
  /// yet; later calls change nothing. For a token the server issues itself before its first
  /// update: such a token cannot come from a previous run, and without this it would be refused
  /// as predating the start whenever a second passed between issuing it and the first update.
  void start_history(UnixSeconds unix_now) noexcept { gate_.start_history(unix_now); }
  [[nodiscard]] const NetcodeServerStats& stats() const noexcept { return stats_; }
  [[nodiscard]] const NetcodeServerConfig& config() const noexcept { return config_; }
  /// The address tokens must list; compare with bind_address().
  [[nodiscard]] Address public_address() const noexcept { return config_.public_address; }
  /// Every address tokens may list for this server, those reached over `first` in front.
  [[nodiscard]] AddressList public_addresses(Address::Link first = Address::Link::datagram) const noexcept {
    return config_.public_addresses(first);
  }
  [[nodiscard]] Address bind_address() const noexcept { return transport_.local_address(); }
  [[nodiscard]] T& transport() noexcept { return transport_; }

 private:
  /// The config with its public address defaulted to the bound one, checked.
  static NetcodeServerConfig checked(NetcodeServerConfig config, Address bound);

  void warn_if_ports_differ();

  void push_event(const NetcodeServerEvent& e) noexcept {
    if (!events_.push(e)) ++stats_.events_lost;
  }
  void drop(DropReason r) noexcept { stats_.drops.count(r); }

  void send_datagram(const Address& to, PacketType type, std::size_t n) noexcept;

  // ---- receive path ---------------------------------------------------------------------

  void receive_all(Duration budget) noexcept {
    receive_batches(transport_, std::span(rx_), config_.max_datagrams_per_update, budget,
                    [this](const Datagram& d) { process_datagram(d); });
  }

  void process_datagram(const Datagram& d) noexcept;

  void watch_for_flood() noexcept {
    if (flood_watch_.update(now_, stats_.unauthenticated_datagrams, config_.flood_notice_per_second))
      log_.rate_notice(detail::Notice::flood, flood_watch_.rate(), now_);
    stats_.unauthenticated_per_second = flood_watch_.rate();
  }

  void process_request(const Address& from, std::span<const std::byte> bytes) noexcept;

  void process_response(const Address& from, const PacketView& p, EncryptionMapping* mapping) noexcept;

  void connect_client(const Address& from, const ChallengeToken& challenge, const EncryptionMapping& m) noexcept;

  void process_connected(std::uint32_t index, const PacketView& p, bool in_queue) noexcept;

  // ---- send path ------------------------------------------------------------------------

  void send_denied(const Address& to, const Key& key) noexcept {
    send_datagram(to, PacketType::connection_denied, challenges_.write_denied(config_.protocol_id, key, tx_));
  }

  void send_challenge(const Address& to, const ConnectTokenPrivate& token) noexcept {
    if (const std::size_t n = challenges_.write_challenge(config_.protocol_id, token, tx_))
      send_datagram(to, PacketType::connection_challenge, n);
  }

  void send_keep_alive(std::uint32_t index) noexcept;

  void send_keep_alives() noexcept;

  void send_disconnect_packets(std::uint32_t index) noexcept;

  // ---- slots ----------------------------------------------------------------------------

  void check_timeouts() noexcept;

  /// A peer whose link the transport reports closed (a WebSocket) frees its slot or pending
  /// handshake now rather than at its timeout. Nothing for transports without reports (Udp).
  void check_unreachable() noexcept {
    if constexpr (ReportsUnreachable<T>) {
      while (const auto a = transport_.take_unreachable()) peer_unreachable(*a);
    }
  }

  void peer_unreachable(const Address& peer) noexcept;

  void free_slot(std::uint32_t index, DisconnectReason reason) noexcept;

  void disconnect_all(DisconnectReason reason) noexcept;

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
  detail::FloodWatch flood_watch_;
  detail::RequestGate<C> gate_;
  std::uint64_t connection_counter_ = 0;
  TimePoint now_{};
  UnixSeconds unix_now_ = 0;
  bool running_ = false;
};

}  // namespace courier::netcode

#include "courier/netcode/impl/netcode_server.hpp"

#if defined(COURIER_SEPARATE_COMPILATION)
namespace courier::netcode {
// The usual server, compiled once by courier/impl/src.hpp (core/config.hpp).
extern template class NetcodeServer<Udp, Netcode102>;
}  // namespace courier::netcode
#endif

