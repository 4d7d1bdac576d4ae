#pragma once
/// \file
/// SequenceBuffer: a fixed-capacity table keyed by 16-bit sequence, as in reliable.io. Storage
/// is allocated once at construction and written as slots are first used (LazyTable); inserting
/// a newer sequence clears the slots it skipped, so a slot never answers for a sequence 65 536
/// packets older that happens to share its tag.

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>

#include "courier/core/lazy_table.hpp"
#include "courier/reliable/sequence.hpp"

namespace courier {

/// Entries for the last `capacity` sequences. `capacity` is a power of two ≤ 32 768, so slot
/// indices stay consistent across the wrap at 65 536.
template <class T>
class SequenceBuffer {
 public:
  /// Throws std::invalid_argument unless capacity is a power of two in [2, 32768].
  explicit SequenceBuffer(std::size_t capacity)
      : entries_(checked(capacity)), tags_(capacity, empty_tag) {}

  [[nodiscard]] std::size_t capacity() const noexcept { return entries_.size(); }

  /// The newest sequence inserted so far (meaningful once `any()`).
  [[nodiscard]] std::uint16_t newest() const noexcept { return newest_; }
  [[nodiscard]] bool any() const noexcept { return any_; }

  /// True when `seq` is too old to be stored: more than `capacity` behind the newest.
  [[nodiscard]] bool too_old(std::uint16_t seq) const noexcept {
    return any_ && sequence_less_than(seq, newest_) &&
           sequence_distance(newest_, seq) >= capacity();
  }

  /// Stores a fresh entry for `seq` and returns it, or nullptr when `seq` is too old.
  T* insert(std::uint16_t seq) noexcept {
    if (too_old(seq)) return nullptr;
    if (!any_ || sequence_greater_than(seq, newest_)) {
      if (any_) clear_between(static_cast<std::uint16_t>(newest_ + 1), seq);
      newest_ = seq;
      any_ = true;
    }
    const std::size_t i = index(seq);
    tags_[i] = seq;
    entries_[i] = T{};
    return &entries_[i];
  }

  [[nodiscard]] T* find(std::uint16_t seq) noexcept {
    const std::size_t i = index(seq);
    return std::as_const(tags_)[i] == seq ? &entries_[i] : nullptr;
  }
  [[nodiscard]] const T* find(std::uint16_t seq) const noexcept {
    const std::size_t i = index(seq);
    return tags_[i] == seq ? &entries_[i] : nullptr;
  }
  [[nodiscard]] bool exists(std::uint16_t seq) const noexcept { return find(seq) != nullptr; }

  void remove(std::uint16_t seq) noexcept {
    const std::size_t i = index(seq);
    if (std::as_const(tags_)[i] == seq) tags_[i] = empty_tag;
  }

 private:
  static constexpr std::uint32_t empty_tag = 0xFFFFFFFFu;

  static std::size_t checked(std::size_t capacity) {
    if (capacity < 2 || capacity > 32768 || (capacity & (capacity - 1)) != 0)
      throw std::invalid_argument("SequenceBuffer capacity must be a power of two in [2, 32768]");
    return capacity;
  }
  [[nodiscard]] std::size_t index(std::uint16_t seq) const noexcept {
    return seq & (entries_.size() - 1);
  }
  // Clears [from, to): at most `capacity` slots, since older ones were cleared already.
  void clear_between(std::uint16_t from, std::uint16_t to) noexcept {
    std::size_t n = sequence_distance(to, from);
    if (n > capacity()) n = capacity();
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = index(static_cast<std::uint16_t>(from + k));
      if (i < tags_.touched()) tags_[i] = empty_tag;  // an untouched slot is empty already
    }
  }

  detail::LazyTable<T> entries_;
  detail::LazyTable<std::uint32_t> tags_;
  std::uint16_t newest_ = 0;
  bool any_ = false;
};

}  // namespace courier
