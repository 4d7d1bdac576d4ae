#pragma once
/// \file
/// StatusTable's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/channel/detail/status_table.hpp"

namespace courier::detail {

COURIER_DECL std::optional<MessageHandle> StatusTable::acquire() noexcept {
  if (!available()) return std::nullopt;
  std::uint32_t i = 0;
  if (never_used_ < records_.size()) {
    i = static_cast<std::uint32_t>(never_used_++);
  } else {
    i = free_[free_head_];
    free_head_ = (free_head_ + 1) % free_.size();
    --free_count_;
  }
  Record& r = records_[i];
  if (++r.generation == 0) r.generation = 1;
  r.status = {DeliveryState::queued, Error::ok};
  return MessageHandle{i, r.generation};
}

COURIER_DECL DeliveryStatus StatusTable::get(MessageHandle h) const noexcept {
  if (h.index >= records_.size() || h.generation == 0) return {};
  const Record& r = records_[h.index];
  return r.generation == h.generation ? r.status : DeliveryStatus{};
}

COURIER_DECL void StatusTable::set(std::uint32_t index, DeliveryStatus status) noexcept {
  Record& r = records_[index];
  if (r.status.is_final()) return;
  r.status = status;
  if (status.is_final()) {
    free_[(free_head_ + free_count_) % free_.size()] = index;
    ++free_count_;
  }
}

}  // namespace courier::detail
