#pragma once
/// \file
/// ClientLink: the part of the typed client that does not depend on the pack's messages — the
/// netcode client and the Connection over it, the hello, the control, reconnect-token and relay
/// frames, reconnection, and the one way a connection ends (tear_down, through end_for_good
/// when this side ends it, or on a loss that a reconnect may mend). ClientCore<Pack> derives
/// from it and supplies what needs the pack (decoding messages and answers, the connect
/// message) through virtual hooks, called only when a connection starts or ends or once
/// per update.
///
/// Why a separate class: it is templated on the pack's transport and crypto only, so the usual
/// link (over NetcodeClient<Udp, Netcode102>) is compiled once under COURIER_SEPARATE_COMPILATION
/// instead of once per pack and translation unit (core/config.hpp).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "courier/channel/connection.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/events.hpp"
#include "courier/netcode/netcode_client.hpp"
#include "courier/netcode/token.hpp"
#include "courier/relay/relay_client.hpp"
#include "courier/typed/client_state.hpp"
#include "courier/typed/detail/reconnector.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/typed_config.hpp"
#include "courier/typed/typed_stats.hpp"

namespace courier::detail {

/// What ClientLink needs to know of the pack, as run-time values.
struct LinkLayout {
  std::size_t control_channel = 0;
  std::size_t token_channel = 0;
  std::size_t relay_channel = 0;
  bool has_relay = false;
  std::uint64_t schema_hash = 0;
  std::uint64_t protocol_id = 0;
  std::size_t scratch_bytes = 0;  ///< the pack's largest frame and a request id
};

template <class T, class C>
class ClientLink {
 public:
  using NetClient = netcode::NetcodeClient<T, C>;

  ClientLink(T transport, ClientConfig c, const LinkLayout& layout,
             const ConnectionConfig& connection);
  ClientLink(const ClientLink&) = delete;
  ClientLink& operator=(const ClientLink&) = delete;

  /// Checks the token's protocol and arms the connection for the next tick.
  std::error_code start(const ConnectToken& token) noexcept;
  /// Receives, runs the handshake, resends, writes packets, reconnects.
  void tick(TimePoint time);
  /// Writes what is queued and ends the connection for good (no event).
  void disconnect() noexcept;
  void flush() noexcept;

  [[nodiscard]] bool link_up() const noexcept;
  void write_packets() noexcept;

  ClientConfig config;
  LinkLayout layout;
  NetClient net;
  Connection conn;
  TypedCounters counters;
  Reconnector reconnector;
  std::vector<std::byte> scratch;
  std::array<std::byte, max_datagram_payload_bytes> tx{};
  ClientState state = ClientState::disconnected;
  TimePoint now{};
  TimePoint hello_until{};
  std::optional<ConnectToken> pending_token;  // connect() was called; netcode starts at the next update
  std::vector<RequestId> lost_requests;       // the last lost connection's pending requests (IsDead lists them)
  bool reconnected = false;
  bool unflushed = false;  // a send since packets were last written
  bool violated = false;   // a frame out of place was read while polling
  RelayClient relay;       // idle unless the pack has a Relay

 protected:
  virtual ~ClientLink() = default;

  // ---- what the pack's part supplies ---------------------------------------------------
  /// The lifecycle events, queued among the pack's events.
  virtual void emit(client_event::Connected event) = 0;
  virtual void emit(client_event::Disconnected event) = 0;
  virtual void emit(client_event::ClosedByServer event) = 0;
  virtual void emit(client_event::IsDead event) = 0;
  /// The connection is going down: what it delivered on the pack's channels becomes events.
  virtual void keep_delivered_messages() = 0;
  /// Ends every pending request (each gets its RequestEnded); returns their ids.
  virtual std::vector<RequestId> end_requests() = 0;
  /// Reads the server's answers and moves requests along; false on a protocol violation.
  virtual bool read_answers() = 0;
  virtual void advance_requests() = 0;
  virtual void expire_requests(TimePoint time) = 0;
  /// Encodes the connect message (if the pack has one) into `out`; returns its size.
  virtual std::size_t encode_connect_message(std::span<std::byte> out) = 0;

 private:
  void start_netcode(const ConnectToken& token);
  void handle_netcode_events();
  void on_netcode_connected();
  void on_netcode_ended(netcode::DisconnectReason reason);
  void attempt_failed(Error error);
  void tear_down(Error reason);
  void end_for_good(Error reason) noexcept;
  void fail_protocol();
  void on_hello_timeout();
  void maybe_reconnect();
  void read_payloads();
  void read_frames();
  void read_control();
  void on_server_hello(std::span<const std::byte> b);
  void disconnect_quietly() noexcept;
};

}  // namespace courier::detail

#include "courier/typed/impl/client_link.hpp"

#if defined(COURIER_SEPARATE_COMPILATION)
namespace courier::detail {
// The usual client's link, compiled once by courier/impl/src.hpp (core/config.hpp).
extern template class ClientLink<Udp, Netcode102>;
}  // namespace courier::detail
#endif
