#pragma once
/// \file
/// `ByteBuffer`: a fixed-size byte array allocated once at construction and left
/// uninitialised. Connection storage (reassembly, staging, channel queues) is preallocated for
/// the worst case but an idle connection writes little of it; a std::vector<std::byte> would
/// zero every byte and so make every page resident at once. Pages of a ByteBuffer become
/// resident only when written. Every user writes bytes before reading them. Inside an
/// ArenaScope the bytes come from the connection's arena (core/arena.hpp).

#include <cstddef>
#include <span>

#include "courier/core/arena.hpp"

namespace courier::detail {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  explicit ByteBuffer(std::size_t size) : data_(size) {}
  ByteBuffer(ByteBuffer&&) noexcept = default;
  ByteBuffer& operator=(ByteBuffer&&) noexcept = default;

  [[nodiscard]] std::size_t size() const noexcept { return data_.count(); }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] std::byte* data() noexcept { return data_.data(); }
  [[nodiscard]] const std::byte* data() const noexcept { return data_.data(); }
  [[nodiscard]] std::span<std::byte> span() noexcept { return {data(), size()}; }
  [[nodiscard]] std::span<const std::byte> span() const noexcept { return {data(), size()}; }
  operator std::span<std::byte>() noexcept { return span(); }              // NOLINT: used as a span
  operator std::span<const std::byte>() const noexcept { return span(); }  // NOLINT

 private:
  RawStorage<std::byte> data_;
};

}  // namespace courier::detail
