#pragma once
/// \file
/// Configuration of the netcode Server and Client. Values are checked at construction; a bad
/// value throws std::system_error(Error::invalid_config) naming the field.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "courier/core/chrono.hpp"
#include "courier/core/error.hpp"
#include "courier/core/function.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/netcode/address_list.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode {

/// Optional sink for rare, human-readable lines (configuration problems such as an address
/// mismatch). Called from `update`, never per ordinary packet.
using LogFunction = std::function<void(std::string_view)>;

/// Server settings.
struct NetcodeServerConfig {
  std::uint64_t protocol_id = 0;
  /// The connect-token key shared with the backend (Key::from_hex), or Key::random() for a server
  /// that issues its own tokens. The all-zero key (an unset field) is refused.
  Key private_key{};
  /// The address tokens list for this server (their internal list). Separate from the address
  /// the transport binds: a server bound to 0.0.0.0:40000 is reached as 203.0.113.7:40000.
  /// Unset: the bound address (refused when that is a wildcard such as 0.0.0.0).
  Address public_address;
  /// More addresses of this same server, reached over other links: e.g. its WebSocket listener
  /// when one server serves UDP and WebSocket clients (Multi<Udp, WebSocketServer>,
  /// docs/PROTOCOL.md "WebSocket"). A token naming any of them is for this server (compared
  /// without the link kind, which tokens do not carry); tokens the server makes list them all.
  AddressList other_public_addresses;
  std::size_t max_clients = 256;       ///< 1 .. 65536 slots, O(1) lookup by address
  std::size_t max_encryption_mappings = 0;  ///< 0: 4 x max_clients
  std::size_t token_history_size = 0;  ///< 0: max(2048, 8 x max_clients); see TokenHistory
  std::size_t payload_queue_size = 1024;  ///< received payloads buffered (all clients)
  std::size_t receive_batch = 64;      ///< datagrams per transport receive call
  /// One update reads until the transport is empty, this much real time has passed, or
  /// `max_datagrams_per_update` were read; what is left is read by the next update. Call
  /// wait_for_input (transport/wait.hpp) between updates so that a busy server updates again
  /// at once: then what it reads follows its CPU. Zero: no time bound. Off under a simulated
  /// clock (ManualClock), whose tests must not depend on the machine's speed.
  Duration receive_time_per_update = std::chrono::milliseconds(2);
  std::size_t max_datagrams_per_update = 65536;
  std::size_t num_disconnect_packets = netcode::num_disconnect_packets;
  Duration keep_alive_interval = packet_send_interval;
  /// true (default): every start seeds the global sequence (challenge and denied packets) at
  /// 1<<63 plus 62 random bits. The high bit keeps it disjoint from the per-client space; the
  /// random part means a restarted server, in this process or a new one, does not seal a second
  /// challenge under a token's key with a nonce it already used when the client retries that
  /// token. false: exactly 1<<63 at every start, as the reference does (reproduces its vectors).
  bool randomize_global_sequence = true;
  /// The restart rule (docs/PROTOCOL.md Part 1 §10). The token history lives in memory, so a
  /// server in a new process would accept again a token its predecessor consumed. Until
  /// `max_token_lifetime` after its first update (`started_unix`, whole unix seconds), the
  /// server refuses every token that could have been issued before then, judged from the expire
  /// timestamp the request carries: refused while `expire < started_unix + max_token_lifetime`
  /// (DropReason::token_predates_start); a token that never expires is refused as long as the
  /// rule is on. Set it to the longest lifetime your backend issues, plus the clock skew between
  /// backend and servers (one second more also covers a crash and restart within the second a
  /// token was issued); tokens living longer are not covered. Short-lived tokens issued right
  /// after a start are refused until `started_unix + max_token_lifetime - lifetime`, so keep
  /// reconnect tokens at least this long-lived. 0 turns the rule off (the reference behaviour).
  std::chrono::seconds max_token_lifetime{30};
  /// Budgets of connection-request decryptions (RequestBudget), checked before any is spent.
  /// Per source address: `requests_per_second_per_source` on average with bursts of
  /// `request_burst_per_source` (a netcode client sends 10 requests a second while it connects);
  /// 0 turns the per-source limit off. Addresses share `request_budget_buckets` buckets.
  std::uint32_t requests_per_second_per_source = 20;
  std::uint32_t request_burst_per_source = 20;
  std::size_t request_budget_buckets = 4096;
  /// Per update, whatever the source: bounds what a flood from many (spoofed) addresses costs,
  /// about a microsecond per decryption. 0: no limit.
  std::size_t max_request_decryptions_per_update = 4096;
  /// Datagrams a second from addresses without a session (NetcodeServerStats::
  /// unauthenticated_per_second) at which the log says the server may be flooded, at most once
  /// per ServerLog::notice_interval. 0: never. A handshake costs a client about 20 datagrams.
  std::uint64_t flood_notice_per_second = 10000;
  LogFunction log;                     ///< optional

  [[nodiscard]] std::size_t mappings() const noexcept {
    return max_encryption_mappings != 0 ? max_encryption_mappings : 4 * max_clients;
  }
  [[nodiscard]] std::size_t history() const noexcept {
    return token_history_size != 0 ? token_history_size : std::max<std::size_t>(2048, 8 * max_clients);
  }
  /// public_address and other_public_addresses, those whose link is `first` in front (a client
  /// tries a token's addresses in order, so a reconnect token puts the client's own kind first).
  [[nodiscard]] AddressList public_addresses(Address::Link first) const noexcept {
    AddressList out;
    for (const bool preferred : {true, false}) {
      if ((public_address.link() == first) == preferred) out.push_back(public_address);
      for (const Address& a : other_public_addresses)
        if ((a.link() == first) == preferred) out.push_back(a);
    }
    return out;
  }

  /// True when a token's server list names this server (netcode.io 1.02: a server refuses a
  /// request whose token does not list it).
  [[nodiscard]] bool listed_in(const AddressList& token_addresses) const noexcept {
    if (token_addresses.contains(public_address.with_link(Address::Link::datagram))) return true;
    for (const Address& a : other_public_addresses)
      if (token_addresses.contains(a.with_link(Address::Link::datagram))) return true;
    return false;
  }

  /// Empty when valid, else the name of the bad field and why.
  [[nodiscard]] std::string check() const {
    if (private_key.is_zero())
      return "private_key is all zero (unset): give the key your token backend uses (Key::from_hex), or Key::random() "
             "for a server that issues its own tokens";
    if (public_address.is_none()) return "public_address must be set (the address tokens list)";
    if (public_address.is_unspecified())
      return "public_address " + public_address.to_string() +
             " is a wildcard: set the address clients dial (the server binds every interface)";
    if (public_address.port() == 0) return "public_address needs a port";
    if (other_public_addresses.size() >= max_servers_per_connect)
      return "other_public_addresses: at most 31 (a token lists 32 addresses)";
    for (const Address& a : other_public_addresses)
      if (a.is_none() || a.is_unspecified() || a.port() == 0)
        return "other_public_addresses: " + a.to_string() + " is not an address clients can dial";
    if (max_clients < 1 || max_clients > 65536) return "max_clients must be 1..65536";
    if (payload_queue_size < 1) return "payload_queue_size must be >= 1";
    if (receive_batch < 1 || receive_batch > 1024) return "receive_batch must be 1..1024";
    if (max_datagrams_per_update < 1) return "max_datagrams_per_update must be >= 1";
    if (receive_time_per_update < Duration::zero()) return "receive_time_per_update must be >= 0";
    if (keep_alive_interval <= Duration::zero()) return "keep_alive_interval must be > 0";
    if (requests_per_second_per_source > 1'000'000)
      return "requests_per_second_per_source above 1000000 limits nothing (0 turns the per-source limit off)";
    if (requests_per_second_per_source != 0 && request_burst_per_source < 1)
      return "request_burst_per_source must be >= 1 (or requests_per_second_per_source 0: no per-source limit)";
    if (request_budget_buckets < 1 || request_budget_buckets > (std::size_t{1} << 24))
      return "request_budget_buckets must be 1..2^24";
    if (max_token_lifetime < std::chrono::seconds::zero() || max_token_lifetime > max_token_lifetime_limit)
      return "max_token_lifetime must be 0 (off) .. 10 years";
    return {};
  }

  /// Upper bound of max_token_lifetime (keeps `started_unix + max_token_lifetime` far from overflow).
  static constexpr std::chrono::seconds max_token_lifetime_limit{std::int64_t{10} * 366 * 24 * 3600};
};

/// Client settings (everything else comes from the connect token).
struct NetcodeClientConfig {
  std::size_t payload_queue_size = 256;   ///< NETCODE_PACKET_QUEUE_SIZE
  std::size_t receive_batch = 64;
  std::size_t max_datagrams_per_update = 4096;
  std::size_t num_disconnect_packets = netcode::num_disconnect_packets;
  Duration send_interval = packet_send_interval;  ///< request, response and keep-alive rate
  LogFunction log;                        ///< optional

  /// Empty when valid, else the name of the bad field and why.
  [[nodiscard]] std::string check() const {
    if (payload_queue_size < 1) return "payload_queue_size must be >= 1";
    if (receive_batch < 1 || receive_batch > 1024) return "receive_batch must be 1..1024";
    if (max_datagrams_per_update < 1) return "max_datagrams_per_update must be >= 1";
    if (send_interval <= Duration::zero()) return "send_interval must be > 0";
    return {};
  }
};

}  // namespace courier::netcode
