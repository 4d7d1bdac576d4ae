#pragma once
/// \file
/// StatusTable: the delivery status of every recent send, behind MessageHandle. Fixed capacity;
/// records never used are handed out first (in index order, so an idle connection touches few),
/// then a record is reused only after its status became final, oldest final first, so a handle
/// stays readable as long as possible and an unfinished send is never overwritten.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "courier/channel/delivery_status.hpp"
#include "courier/channel/message_handle.hpp"
#include "courier/core/config.hpp"
#include "courier/core/lazy_table.hpp"

namespace courier::detail {

class StatusTable {
 public:
  explicit StatusTable(std::size_t capacity) : records_(capacity), free_(capacity) {}

  /// A fresh record in state `queued`, or nullopt when every record is unfinished.
  std::optional<MessageHandle> acquire() noexcept;

  /// True when `acquire` would succeed.
  [[nodiscard]] bool available() const noexcept { return never_used_ < records_.size() || free_count_ > 0; }

  [[nodiscard]] DeliveryStatus get(MessageHandle h) const noexcept;

  /// Moves record `index` to `status`; a final status makes the record reusable. A record
  /// already final keeps its first final status.
  void set(std::uint32_t index, DeliveryStatus status) noexcept;

  /// Queued → Sent (a no-op in any other state).
  void mark_sent(std::uint32_t index) noexcept {
    if (records_[index].status.state == DeliveryState::queued)
      records_[index].status.state = DeliveryState::sent;
  }

  [[nodiscard]] std::size_t capacity() const noexcept { return records_.size(); }
  [[nodiscard]] std::size_t unfinished() const noexcept { return never_used_ - free_count_; }

 private:
  struct Record {
    std::uint32_t generation = 0;
    DeliveryStatus status{DeliveryState::unknown, Error::ok};
  };

  LazyTable<Record> records_;
  LazyTable<std::uint32_t> free_;  // final records, oldest first (a ring)
  std::size_t free_head_ = 0;
  std::size_t free_count_ = 0;
  std::size_t never_used_ = 0;  // records [never_used_, capacity) were never handed out
};

}  // namespace courier::detail

#if !defined(COURIER_SEPARATE_COMPILATION)
#include "courier/channel/impl/status_table.hpp"
#endif
