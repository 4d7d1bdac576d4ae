#pragma once
/// \file
/// PacketRefs: which messages and fragments each unresolved packet carried, so that the
/// endpoint's "packet acked / lost" becomes "message acked / lost". References live in one ring
/// shared by all packets, freed from the oldest packet once it is resolved: memory is bounded by
/// `max_messages_in_flight`, whatever the mix of packets.

#include <cstddef>
#include <cstdint>

#include "courier/core/config.hpp"
#include "courier/core/lazy_table.hpp"
#include "courier/reliable/sequence_buffer.hpp"

namespace courier::detail {

enum class RefKind : std::uint8_t { reliable_message, block_fragment, unreliable_message, unreliable_fragment };

/// One item a packet carried. `value`: the fragment index of a reliable block, or the status
/// record of an unreliable message or fragment.
struct MessageRef {
  std::uint8_t channel = 0;
  RefKind kind = RefKind::reliable_message;
  std::uint16_t sequence = 0;
  std::uint32_t value = 0;
};

class PacketRefs {
 public:
  PacketRefs(std::size_t ref_capacity, std::size_t packet_capacity)
      : refs_(ref_capacity), records_(packet_capacity) {}

  [[nodiscard]] bool full() const noexcept { return head_ - tail_ == refs_.size(); }
  [[nodiscard]] std::uint64_t head() const noexcept { return head_; }
  [[nodiscard]] std::size_t in_flight() const noexcept { return static_cast<std::size_t>(head_ - tail_); }

  /// Appends a reference to the packet being written; the caller checked `full()`.
  void push(const MessageRef& ref) noexcept { refs_[head_++ % refs_.size()] = ref; }

  /// Files the references pushed since `begin` under packet `seq`.
  void commit(std::uint16_t seq, std::uint64_t begin) noexcept;

  /// Calls `f(ref)` for each reference of packet `seq`, once; then frees what is resolved.
  template <class F>
  void resolve(std::uint16_t seq, F&& f) noexcept {
    Record* r = records_.find(seq);
    if (r == nullptr || r->resolved) return;
    r->resolved = true;
    for (std::uint64_t i = r->begin; i != r->end; ++i) f(refs_[i % refs_.size()]);
    release_resolved();
  }

 private:
  struct Record {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    bool resolved = false;
  };

  void release_resolved() noexcept;

  LazyTable<MessageRef> refs_;  // a ring, written from index 0 on
  SequenceBuffer<Record> records_;
  std::uint64_t head_ = 0;
  std::uint64_t tail_ = 0;
  std::uint16_t oldest_ = 0;
  std::uint16_t next_ = 0;
  bool any_ = false;
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/channel/impl/packet_refs.hpp"
#endif
