#pragma once
/// \file
/// RequestGate: what a netcode server's connection request earns (docs/PROTOCOL.md Part 1 §10):
/// refused (dropped and counted by reason), denied (the server is full: a denied packet), or a
/// challenge (its keys now held in an encryption mapping). It reads and opens the request, then
/// applies, in order: the token's server list must name this server (an address mismatch is
/// reported once per token address, as a NetcodeServerEvent and a log line), the address and client id
/// must be free, the restart rule, then the token history's single-use rules.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "courier/core/drop_reason.hpp"
#include "courier/core/time.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/netcode/client_slots.hpp"
#include "courier/netcode/netcode_config.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/netcode/encryption_manager.hpp"
#include "courier/netcode/events.hpp"
#include "courier/netcode/packet_reader.hpp"
#include "courier/netcode/restart_rule.hpp"
#include "courier/core/fixed_ring.hpp"
#include "courier/netcode/server_log.hpp"
#include "courier/netcode/netcode_stats.hpp"
#include "courier/netcode/token_history.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode::detail {

/// A request's outcome; `token` is set for denied and challenge.
struct Admission {
  enum class Verdict : std::uint8_t { refused, denied, challenge } verdict = Verdict::refused;
  std::optional<ConnectTokenPrivate> token;
};

template <Crypto C>
class RequestGate {
 public:
  RequestGate(const NetcodeServerConfig& config, NetcodeServerStats& stats, ServerLog& log, courier::detail::FixedRing<NetcodeServerEvent>& events)
      : config_(config), history_(config.history()), restart_rule_(config.max_token_lifetime), stats_(stats), log_(log),
        events_(events) {}

  /// The restart rule counts from the first update's unix time.
  void observe(UnixSeconds unix_now) noexcept { restart_rule_.observe(unix_now); }
  [[nodiscard]] std::optional<UnixSeconds> started_unix() const noexcept { return restart_rule_.started_unix(); }
  /// A token whose connection was established: refused from now on, from every address.
  void consume(const TokenTag& tag) noexcept { history_.consume(tag); }

  /// Reads one connection request from `from` (decrypting into `scratch`) and decides.
  Admission admit(const Address& from, std::span<const std::byte> bytes, const ClientSlots& slots,
                  EncryptionManager& mappings, TimePoint now, UnixSeconds unix_now, std::span<std::byte> scratch) noexcept {
    ReadContext ctx;
    ctx.protocol_id = config_.protocol_id;
    ctx.unix_now = unix_now;
    ctx.allowed = server_packet_types;
    ctx.private_key = &config_.private_key;
    const ReadResult r = read_packet<C>(bytes, ctx, scratch);
    if (r.reason == DropReason::protocol_mismatch) log_.notice(Notice::other_protocol, from, now);
    if (!r) return refuse(r.reason);
    ++stats_.received[static_cast<std::size_t>(PacketType::connection_request)];
    const auto token = read_private_token(r.packet.plaintext);
    if (!token) return refuse(DropReason::token_invalid);
    if (!config_.listed_in(token->server_addresses)) {
      report_mismatch(from, token->server_addresses[0]);
      return refuse(DropReason::address_mismatch);
    }
    if (slots.find_address(from) >= 0 || slots.has_client_id(token->client_id)) return refuse(DropReason::already_connected);
    const TokenTag tag = token_tag(r.packet.encrypted_private_token.template first<connect_token_private_bytes>());
    if (!single_use_allows(tag, from, r.packet.expire_timestamp, now, unix_now)) return Admission{};
    if (slots.full()) {
      stats_.drops.count(DropReason::server_full);
      return Admission{Admission::Verdict::denied, *token};
    }
    if (mappings.add(mapping_for(from, *token, tag), now) == nullptr) return refuse(DropReason::table_full);
    return Admission{Admission::Verdict::challenge, *token};
  }

 private:
  Admission refuse(DropReason why) noexcept {
    stats_.drops.count(why);
    return Admission{};
  }

  /// The restart rule, then the history's reuse rules; counts (and notes) a refusal.
  bool single_use_allows(const TokenTag& tag, const Address& from, UnixSeconds expire, TimePoint now,
                         UnixSeconds unix_now) noexcept {
    if (restart_rule_.predates_start(expire)) {
      log_.notice(Notice::token_predates_start, from, now);
      return (void)refuse(DropReason::token_predates_start), false;
    }
    switch (history_.check_and_record(tag, from, expire, unix_now)) {
      case TokenHistory::Verdict::accepted: return true;
      case TokenHistory::Verdict::consumed:
        ++stats_.tokens_refused_consumed;
        log_.notice(Notice::token_consumed, from, now);
        break;
      case TokenHistory::Verdict::other_address: log_.notice(Notice::token_reused, from, now); break;
      case TokenHistory::Verdict::full: return (void)refuse(DropReason::table_full), false;
    }
    return (void)refuse(DropReason::token_reused), false;
  }

  static EncryptionMapping mapping_for(const Address& from, const ConnectTokenPrivate& token, const TokenTag& tag) noexcept {
    EncryptionMapping m;
    m.address = from;
    m.send_key = token.server_to_client_key;
    m.receive_key = token.client_to_server_key;
    m.timeout_seconds = token.timeout_seconds;
    m.token_tag = tag;
    return m;
  }

  void report_mismatch(const Address& from, const Address& token_address) noexcept {
    ++stats_.address_mismatches;
    stats_.last_mismatch_from = from;
    stats_.last_mismatch_token_address = token_address;
    if (mismatch_reported_ && token_address == last_reported_mismatch_) return;
    mismatch_reported_ = true;
    last_reported_mismatch_ = token_address;
    NetcodeServerEvent e;
    e.type = ServerEventType::address_mismatch;
    e.address = from;
    e.token_address = token_address;
    if (!events_.push(e)) ++stats_.events_lost;
    log_.line("courier netcode server: refusing clients whose connect token lists %s but not this "
              "server's public_address %s; set NetcodeServerConfig::public_address to the address the "
              "backend writes into tokens", token_address, config_.public_address);
  }

  const NetcodeServerConfig& config_;
  TokenHistory history_;
  RestartRule restart_rule_;
  NetcodeServerStats& stats_;
  ServerLog& log_;
  courier::detail::FixedRing<NetcodeServerEvent>& events_;
  bool mismatch_reported_ = false;
  Address last_reported_mismatch_;
};

}  // namespace courier::netcode::detail
