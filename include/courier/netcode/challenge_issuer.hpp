#pragma once
/// \file
/// ChallengeIssuer: the netcode server's own handshake material — the key that seals challenge
/// tokens (new at every start), the challenge sequence, and the global sequence that challenge
/// and denied packets carry (docs/PROTOCOL.md Part 1 §6, §10). Every start re-seeds the global
/// sequence at 1<<63, plus 62 random bits unless NetcodeServerConfig::randomize_global_sequence is off:
/// the high bit keeps it apart from the per-client sequences under the same key, the random part
/// keeps a restarted server from sealing a second challenge with a nonce it already used.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "courier/crypto/crypto.hpp"
#include "courier/netcode/challenge_token.hpp"
#include "courier/netcode/connect_token.hpp"
#include "courier/netcode/constants.hpp"
#include "courier/netcode/packet.hpp"
#include "courier/netcode/packet_reader.hpp"

namespace courier::netcode::detail {

template <Crypto C>
class ChallengeIssuer {
 public:
  /// A new challenge key and sequences (at every server start).
  void restart(bool randomize) noexcept {
    C::random_bytes(std::as_writable_bytes(std::span(challenge_key_)));
    global_sequence_ = global_sequence_start | (randomize ? random_offset() : 0);
    challenge_sequence_ = 0;
  }

  /// The sequence the next challenge or denied packet will carry.
  [[nodiscard]] std::uint64_t next_global_sequence() const noexcept { return global_sequence_; }

  /// A connection denied packet sealed with the client's key; its size (0 on failure).
  [[nodiscard]] std::size_t write_denied(std::uint64_t protocol_id, const Key& key, std::span<std::byte> out) noexcept {
    return write_connection_denied<C>(global_sequence_++, protocol_id, key, out);
  }

  /// A challenge packet for the token's client; its size (0 on failure).
  [[nodiscard]] std::size_t write_challenge(std::uint64_t protocol_id, const ConnectTokenPrivate& token,
                                            std::span<std::byte> out) noexcept {
    EncryptedChallengeToken challenge{};
    write_challenge_token(ChallengeToken{token.client_id, token.user_data}, challenge);
    if (!encrypt_challenge_token<C>(challenge, challenge_sequence_, challenge_key_)) return 0;
    const std::size_t n = write_challenge_or_response<C>(PacketType::connection_challenge, challenge_sequence_, challenge,
                                                         global_sequence_++, protocol_id, token.server_to_client_key, out);
    ++challenge_sequence_;
    return n;
  }

  /// The challenge token a response packet returns, if this server sealed it.
  [[nodiscard]] std::optional<ChallengeToken> open(const PacketView& p) const noexcept {
    return decrypt_challenge_token<C>(p.challenge_token.template first<challenge_token_bytes>(), p.challenge_sequence,
                                      challenge_key_);
  }

 private:
  /// 62 random bits (bit 62 clear, so counting up never wraps into the per-client space).
  [[nodiscard]] static std::uint64_t random_offset() noexcept {
    std::uint64_t r = 0;
    C::random_bytes(std::as_writable_bytes(std::span(&r, 1)));
    return r & ((std::uint64_t{1} << 62) - 1);
  }

  Key challenge_key_{};
  std::uint64_t global_sequence_ = global_sequence_start;
  std::uint64_t challenge_sequence_ = 0;
};

}  // namespace courier::netcode::detail
