#pragma once
/// \file
/// PayloadQueue: received payloads waiting for the application, in fixed 1200-byte buffers.
/// The reader decrypts straight into the next free buffer, so a payload is written once and
/// never copied afterwards. Full queue: the payload is dropped (DropReason::queue_full).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "courier/netcode/constants.hpp"
#include "courier/core/fixed_ring.hpp"

namespace courier::netcode {

/// One received payload as the application sees it; `bytes` stays valid until the next
/// `receive` or `update` call on the object that returned it.
struct ReceivedPayload {
  std::uint32_t client_index = 0;   ///< always 0 on a client
  std::uint64_t sequence = 0;       ///< the packet sequence it arrived with
  std::span<const std::byte> bytes;
  /// The connection it arrived on (NetcodeServerEvent::connection / Client::connection()). A payload
  /// accepted before its connection ended stays receivable until the slot (or client) starts
  /// its next connection, so nothing authenticated is lost to a disconnect in the same update.
  std::uint64_t connection = 0;
};

namespace detail {

/// A fixed ring of payload buffers tagged with the connection they belong to.
class PayloadQueue {
 public:
  struct Entry {
    std::uint64_t connection = 0;   ///< a stale entry (connection since ended) is skipped
    std::uint32_t client_index = 0;
    std::uint64_t sequence = 0;
    std::size_t size = 0;
    std::array<std::byte, max_payload_bytes> data{};
  };

  explicit PayloadQueue(std::size_t capacity) : ring_(capacity) {}

  /// Where the next payload would be decrypted to; empty when the queue is full.
  [[nodiscard]] std::span<std::byte> next_buffer() noexcept {
    Entry* e = ring_.back_slot();
    return e == nullptr ? std::span<std::byte>{} : std::span<std::byte>(e->data);
  }
  /// Keeps the payload just decrypted into `next_buffer()`.
  void commit(std::uint64_t connection, std::uint32_t client_index, std::uint64_t sequence,
              std::size_t size) noexcept {
    Entry* e = ring_.back_slot();
    if (e == nullptr) return;
    e->connection = connection;
    e->client_index = client_index;
    e->sequence = sequence;
    e->size = size;
    ring_.commit();
  }

  /// Releases the payload handed out last, then hands out the next one whose connection
  /// `is_live(connection)` still holds.
  template <class IsLive>
  std::optional<ReceivedPayload> receive(IsLive&& is_live) noexcept {
    release();
    while (Entry* e = ring_.front()) {
      if (is_live(e->connection, e->client_index)) {
        handed_out_ = true;
        return ReceivedPayload{e->client_index, e->sequence, std::span<const std::byte>(e->data.data(), e->size),
                               e->connection};
      }
      ring_.pop();
    }
    return std::nullopt;
  }

  /// Frees the buffer of the payload handed out last.
  void release() noexcept {
    if (handed_out_) ring_.pop();
    handed_out_ = false;
  }
  void clear() noexcept {
    ring_.clear();
    handed_out_ = false;
  }

  [[nodiscard]] std::size_t size() const noexcept { return ring_.size(); }

 private:
  courier::detail::FixedRing<Entry> ring_;
  bool handed_out_ = false;
};

}  // namespace detail

}  // namespace courier::netcode
