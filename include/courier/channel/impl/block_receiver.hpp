#pragma once
/// \file
/// BlockReceiver's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/channel/detail/block_receiver.hpp"

namespace courier::detail {

COURIER_DECL bool BlockReceiver::add(const WireFragment& f, bool& duplicate) noexcept {
  if (state_ == State::idle) start(f);
  duplicate = (bits_[f.index / 64] >> (f.index % 64)) & 1u;
  if (duplicate) return false;
  bits_[f.index / 64] |= std::uint64_t{1} << (f.index % 64);
  const std::size_t offset = std::size_t{f.index} * block_fragment_bytes;
  std::memcpy(data_.data() + offset, f.bytes.data(), f.bytes.size());
  if (f.index + 1 == f.count) size_ = offset + f.bytes.size();
  if (++received_ < count_) return false;
  state_ = State::complete;
  return true;
}

COURIER_DECL void BlockReceiver::start(const WireFragment& f) noexcept {
  state_ = State::assembling;
  seq_ = f.sequence;
  count_ = f.count;
  id_ = f.id;
  received_ = 0;
  size_ = 0;
  // Room for the whole block at once: its fragments may arrive in any order.
  data_.reach(std::min(data_.size(), std::size_t{count_} * block_fragment_bytes));
  std::fill(bits_.begin(), bits_.end(), 0);
}

}  // namespace courier::detail
