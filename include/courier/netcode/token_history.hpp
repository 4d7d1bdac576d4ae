#pragma once
/// \file
/// TokenHistory: which connect tokens the server has seen, keyed by the token's 16-byte tag.
///
/// Two rules (netcode.io 1.02 standard, 'Processing Connection Requests',
/// and the single-use rule of docs/PROTOCOL.md Part 1 §10):
/// - a token seen from one address is refused from any other address (the reference rule;
///   the same token from the same address may retry during the handshake);
/// - a token whose connection was established is *consumed* and refused from every address,
///   also after that connection ends, for as long as the entry is kept.
///
/// Bound: `capacity` entries, reserved at construction and written in order, so a large
/// history is resident only as far as tokens filled it (its index grows likewise). When full,
/// the oldest entry is dropped if it is only pending (never connected) or its token has expired
/// (an expired token is refused anyway). A consumed, unexpired token is never forgotten: if the next few oldest entries are
/// all like that, the new request is refused (Verdict::full, DropReason::table_full). Size the
/// table for the number of tokens a server accepts within one token lifetime.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "courier/core/config.hpp"
#include "courier/core/time.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/fixed_hash_map.hpp"
#include "courier/transport/address.hpp"

namespace courier::netcode {

namespace detail {

/// Tags are MAC outputs, so their first 8 bytes are already uniformly random.
struct TokenTagHash {
  std::size_t operator()(const TokenTag& tag) const noexcept {
    std::uint64_t h = 0;
    std::memcpy(&h, tag.data(), sizeof h);
    return static_cast<std::size_t>(h);
  }
};

}  // namespace detail

/// Bounded history of connect tokens.
class TokenHistory {
 public:
  enum class Verdict : std::uint8_t {
    accepted,          ///< new, or a retry from the same address during the handshake
    other_address,     ///< seen before from another address
    consumed,          ///< its connection was established already
    full,              ///< no room without forgetting a consumed, live token
  };

  /// Entries examined for eviction per new token before refusing.
  static constexpr std::size_t eviction_attempts = 8;

  explicit TokenHistory(std::size_t capacity) : capacity_(capacity), index_(capacity) { ring_.reserve(capacity); }

  /// Applies the rules to a token arriving from `from` and records it when accepted.
  Verdict check_and_record(const TokenTag& tag, const Address& from, UnixSeconds token_expire,
                           UnixSeconds unix_now) noexcept;

  /// The verdict check_and_record would give a token already in the history, recording
  /// nothing: `accepted` for a token not seen (or seen from `from`). Lets a server refuse a
  /// replayed token at the cost of a lookup, before decrypting it: the tag is the sealed token's
  /// MAC, so only a token that once decrypted can be in the history.
  [[nodiscard]] Verdict peek(const TokenTag& tag, const Address& from) const noexcept {
    const std::uint32_t* at = index_.find(tag);
    if (at == nullptr) return Verdict::accepted;
    const Entry& e = ring_[*at];
    if (e.consumed) return Verdict::consumed;
    return e.address == from ? Verdict::accepted : Verdict::other_address;
  }

  /// Marks a token consumed: its connection was established.
  void consume(const TokenTag& tag) noexcept {
    if (const std::uint32_t* at = index_.find(tag)) ring_[*at].consumed = true;
  }

  [[nodiscard]] bool contains(const TokenTag& tag) const noexcept { return index_.find(tag) != nullptr; }
  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  struct Entry {
    TokenTag tag{};
    Address address;
    UnixSeconds expire = 0;
    bool consumed = false;
  };

  /// The ring position for a new entry; evicts from the front when full.
  bool make_room(UnixSeconds unix_now, std::uint32_t& slot) noexcept;

  std::size_t capacity_;
  std::vector<Entry> ring_;  // reserved for capacity_, filled in order: resident as far as used
  detail::FixedHashMap<TokenTag, std::uint32_t, detail::TokenTagHash> index_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

}  // namespace courier::netcode

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/netcode/impl/token_history.hpp"
#endif
