#pragma once
/// \file
/// RequestTable: the client's record of each request, indexed by id modulo a power-of-two
/// capacity. Fixed storage; a record stays readable after its request ends until a later
/// request needs the slot. Pending requests are kept in id order, which is also deadline order
/// (one timeout for all), so timeouts are found without scanning.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "courier/channel/message_handle.hpp"
#include "courier/core/time.hpp"
#include "courier/typed/signal.hpp"

namespace courier::detail {

struct RequestRecord {
  RequestId id = 0;  ///< 0: never used
  RequestStatus status = RequestStatus::unknown;
  MessageHandle handle;  ///< the request message on the connection
  TimePoint deadline{};
  std::uint32_t pair = 0;  ///< the request pair (its answer must be of the same pair)
};

class RequestTable {
 public:
  explicit RequestTable(std::size_t capacity) : records_(capacity), mask_(capacity - 1) {}

  /// True when the record for the next id is free (its previous request has ended).
  [[nodiscard]] bool can_open() const noexcept { return is_final(records_[next_ & mask_].status); }

  /// Opens the next request; call can_open() first.
  RequestRecord& open(MessageHandle handle, TimePoint deadline) {
    RequestRecord& r = records_[next_ & mask_];
    r = RequestRecord{next_, RequestStatus::sending, handle, deadline};
    pending_.push_back(next_);
    ++next_;
    return r;
  }

  /// The id the next open() will use.
  [[nodiscard]] RequestId next_id() const noexcept { return next_; }

  /// The record of `id`, or nullptr when it was never opened or has been reused.
  [[nodiscard]] RequestRecord* find(RequestId id) noexcept {
    RequestRecord& r = records_[id & mask_];
    return r.id == id && id != 0 ? &r : nullptr;
  }
  [[nodiscard]] const RequestRecord* find(RequestId id) const noexcept {
    const RequestRecord& r = records_[id & mask_];
    return r.id == id && id != 0 ? &r : nullptr;
  }
  /// The pending record whose id has these low 32 bits (as the wire carries them).
  [[nodiscard]] RequestRecord* find_wire(std::uint32_t wire) noexcept {
    RequestRecord& r = records_[wire & mask_];
    return r.id != 0 && static_cast<std::uint32_t>(r.id) == wire && !is_final(r.status) ? &r : nullptr;
  }

  /// Pending ids in id (= deadline) order; ended ones are skipped lazily.
  [[nodiscard]] std::deque<RequestId>& pending() noexcept { return pending_; }

  /// Drops ended ids from the front of the pending list.
  void trim() noexcept {
    while (!pending_.empty()) {
      const RequestRecord* r = find(pending_.front());
      if (r != nullptr && !is_final(r->status)) break;
      pending_.pop_front();
    }
  }

 private:
  std::vector<RequestRecord> records_;
  std::size_t mask_;
  std::deque<RequestId> pending_;
  RequestId next_ = 1;
};

}  // namespace courier::detail
