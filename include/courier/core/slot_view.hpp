#pragma once
/// \file
/// SlotView: a forward view over a list of slot numbers that yields `make(slot)` for every slot
/// `keep(slot)` accepts, evaluated lazily as it is walked. It is what Server::clients() returns.
/// Written out because `std::views::filter` does not compile with clang 14 over libstdc++ 12
/// (both supported here), and range-v3, which does, costs 0.5 s of parsing per translation unit.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <utility>

namespace courier::detail {

template <class Keep, class Make>
class SlotView {
 public:
  SlotView(std::span<const std::uint32_t> slots, Keep keep, Make make)
      : slots_(slots), keep_(std::move(keep)), make_(std::move(make)) {}

  class iterator {
   public:
    using difference_type = std::ptrdiff_t;
    using value_type = decltype(std::declval<const Make&>()(std::uint32_t{}));

    iterator() = default;
    iterator(const SlotView* view, std::size_t at) : view_(view), at_(at) { skip(); }

    value_type operator*() const { return view_->make_(view_->slots_[at_]); }
    iterator& operator++() {
      ++at_;
      skip();
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    friend bool operator==(const iterator& i, std::default_sentinel_t) { return i.at_end(); }
    friend bool operator==(const iterator& a, const iterator& b) { return a.at_ == b.at_; }

   private:
    [[nodiscard]] bool at_end() const { return at_ >= view_->slots_.size(); }
    void skip() {
      while (at_ < view_->slots_.size() && !view_->keep_(view_->slots_[at_])) ++at_;
    }

    const SlotView* view_ = nullptr;
    std::size_t at_ = 0;
  };

  [[nodiscard]] iterator begin() const { return iterator(this, 0); }
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

 private:
  std::span<const std::uint32_t> slots_;
  Keep keep_;
  Make make_;
};

}  // namespace courier::detail
