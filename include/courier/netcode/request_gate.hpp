#pragma once
/// \file
/// RequestGate: what a netcode server's connection request earns (docs/PROTOCOL.md Part 1 §10):
/// refused (dropped and counted by reason), denied (the server is full: a denied packet), or a
/// challenge (its keys now held in an encryption mapping).
///
/// Cheap before expensive: opening the private token is the only costly step, so everything that
/// can refuse a request without it comes first: the framing, protocol and expiry checks, the
/// address already holding a slot, the restart rule, the token history's reuse rules on the
/// sealed token's tag (a replayed token costs a lookup), then the per-source and per-update
/// budgets of decryptions (RequestBudget). After decryption: the token's server list must name
/// this server (an address mismatch is reported once per token address, as a NetcodeServerEvent
/// and a log line), the client id must be free, and the history records the token.

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
#include "courier/netcode/request_budget.hpp"
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
      : config_(config), history_(config.history()), restart_rule_(config.max_token_lifetime),
        budget_(config.request_budget_buckets, config.requests_per_second_per_source, config.request_burst_per_source,
                config.max_request_decryptions_per_update),
        stats_(stats), log_(log),
        events_(events) {}

  /// Called at the start of every update: the restart rule counts from the first update's unix
  /// time, and the per-update decryption budget starts again.
  void begin_update(UnixSeconds unix_now) noexcept {
    restart_rule_.observe(unix_now);
    budget_.new_update();
  }
  [[nodiscard]] std::optional<UnixSeconds> started_unix() const noexcept { return restart_rule_.started_unix(); }
  /// Starts the restart rule's count at `unix_now` if no update has yet (see NetcodeServer::start_history).
  void start_history(UnixSeconds unix_now) noexcept { restart_rule_.observe(unix_now); }
  /// A token whose connection was established: refused from now on, from every address.
  void consume(const TokenTag& tag) noexcept { history_.consume(tag); }

  /// Reads one connection request from `from` (decrypting into `scratch`) and decides. Every
  /// check that needs no cryptography comes before the decryption (see the file comment).
  Admission admit(const Address& from, std::span<const std::byte> bytes, const ClientSlots& slots,
                  EncryptionManager& mappings, TimePoint now, UnixSeconds unix_now, std::span<std::byte> scratch) noexcept {
    const ReadContext ctx = context(unix_now);
    ReadResult r = read_request_header(bytes, ctx);
    if (r.reason == DropReason::protocol_mismatch) log_.notice(Notice::other_protocol, from, now);
    if (!r) return refuse(r.reason);
    if (slots.find_address(from) >= 0) return refuse(DropReason::already_connected);
    const UnixSeconds expire = r.packet.expire_timestamp;
    const TokenTag tag = token_tag(r.packet.encrypted_private_token.template first<connect_token_private_bytes>());
    if (!reuse_rules_allow(history_.peek(tag, from), from, expire, now) || !budget_allows(from, now))
      return Admission{};
    ++stats_.request_decryptions;
    r = open_request<C>(r, ctx, scratch);
    if (!r) return refuse(r.reason);
    ++stats_.received[static_cast<std::size_t>(PacketType::connection_request)];
    const auto token = read_private_token(r.packet.plaintext);
    if (!token) return refuse(DropReason::token_invalid);
    if (!config_.listed_in(token->server_addresses)) {
      report_mismatch(from, token->server_addresses[0]);
      return refuse(DropReason::address_mismatch);
    }
    if (slots.has_client_id(token->client_id)) return refuse(DropReason::already_connected);
    if (!reuse_rules_allow(history_.check_and_record(tag, from, expire, unix_now), from, expire, now))
      return Admission{};
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

  [[nodiscard]] ReadContext context(UnixSeconds unix_now) const noexcept {
    ReadContext ctx;
    ctx.protocol_id = config_.protocol_id;
    ctx.unix_now = unix_now;
    ctx.allowed = server_packet_types;
    ctx.private_key = &config_.private_key;
    return ctx;
  }

  /// The restart rule, then the history's verdict on the token; counts (and notes) a refusal.
  /// Run twice: with the history's peek before decryption, with its check_and_record after.
  bool reuse_rules_allow(TokenHistory::Verdict verdict, const Address& from, UnixSeconds expire, TimePoint now) noexcept {
    if (restart_rule_.predates_start(expire)) {
      log_.notice(Notice::token_predates_start, from, now);
      return (void)refuse(DropReason::token_predates_start), false;
    }
    switch (verdict) {
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

  /// The per-source and per-update budgets of decryptions (RequestBudget).
  bool budget_allows(const Address& from, TimePoint now) noexcept {
    const RequestBudget::Verdict verdict = budget_.take(from, now);
    if (verdict == RequestBudget::Verdict::allowed) return true;
    log_.notice(Notice::over_budget, from, now);
    return (void)refuse(verdict == RequestBudget::Verdict::source_over_rate ? DropReason::request_rate
                                                                            : DropReason::request_budget),
           false;
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
  RequestBudget budget_;
  NetcodeServerStats& stats_;
  ServerLog& log_;
  courier::detail::FixedRing<NetcodeServerEvent>& events_;
  bool mismatch_reported_ = false;
  Address last_reported_mismatch_;
};

}  // namespace courier::netcode::detail
