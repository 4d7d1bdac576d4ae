#pragma once
/// \file
/// GrowingStorage and TableMeter: a connection's tables have room for their worst case (a
/// burst, a full window of sequences) but take memory only as far as they are used.
///
/// Why: most connections are idle most of the time. Tables allocated at full size made every
/// idle connection pay for its worst case; mapped straight from the operating system and
/// written only as used, each table an idle connection touched still cost a whole page
/// (about 50 KiB per idle client, measured). Here a table starts small on the shared heap, so
/// the few bytes an idle connection uses share pages with other connections', and it doubles
/// when an index beyond its room is first reached, up to its logical size, copying what it
/// held. Every table is reached from index 0 upwards (rings and sequence tables alike), so its
/// memory follows the highest index its connection ever used: a few hundred bytes for an idle
/// connection, the working set for a busy one, never more than the configured size.
///
/// Growth allocates, so the first messages of a burst may allocate; a connection that reached
/// its working size allocates no more (tests/alloc). A failed allocation throws
/// std::bad_alloc, which in the noexcept send and receive paths ends the process, as running
/// out of memory anywhere in them would.
///
/// A TableMeter counts what a connection's tables hold now and could hold at most: the owner
/// opens a MeterScope while it builds its tables, and each GrowingStorage built on that thread
/// inside the scope reports to it for the storage's life (moves included).

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstring>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace courier::detail {

/// Bytes held by a set of tables, now and at most.
struct TableMeter {
  std::size_t held_bytes = 0;   ///< allocated now
  std::size_t limit_bytes = 0;  ///< what the tables would hold at their full sizes
};

/// The meter that GrowingStorage built on this thread reports to (none: not counted).
inline thread_local TableMeter* filling_meter = nullptr;

/// Makes `meter` the one GrowingStorage reports to on this thread, until the scope ends.
class MeterScope {
 public:
  explicit MeterScope(TableMeter& meter) noexcept : previous_(filling_meter) { filling_meter = &meter; }
  ~MeterScope() { filling_meter = previous_; }
  MeterScope(const MeterScope&) = delete;
  MeterScope& operator=(const MeterScope&) = delete;

 private:
  TableMeter* previous_;
};

/// An owner's meter, counting from construction until `done()`. Declared as the owner's first
/// member, it counts every table initialised after it; the owner's constructor body calls
/// `done()` (if a member's constructor throws, the scope ends with it). The owner must not
/// move: its tables keep the meter's address.
class MemberMeter {
 public:
  MemberMeter() : scope_(std::in_place, meter_) {}
  MemberMeter(const MemberMeter&) = delete;
  MemberMeter& operator=(const MemberMeter&) = delete;

  void done() noexcept { scope_.reset(); }
  /// The owner's meter; open a MeterScope on it to count tables built later (a rebuild).
  [[nodiscard]] TableMeter& meter() noexcept { return meter_; }
  [[nodiscard]] const TableMeter& meter() const noexcept { return meter_; }

 private:
  TableMeter meter_;
  std::optional<MeterScope> scope_;
};

/// Storage for up to `size` objects of a trivially copyable type, allocated as far as it is
/// reached: `reach(count, keep)` makes room for the first `count`, keeping the first `keep`.
template <class T>
class GrowingStorage {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "GrowingStorage holds plain data only");
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "GrowingStorage uses operator new's alignment");

 public:
  GrowingStorage() = default;
  explicit GrowingStorage(std::size_t size) : size_(size), meter_(filling_meter) {
    if (meter_ != nullptr) meter_->limit_bytes += size_ * sizeof(T);
  }
  GrowingStorage(GrowingStorage&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)),
        capacity_(std::exchange(o.capacity_, 0)), meter_(std::exchange(o.meter_, nullptr)) {}
  GrowingStorage& operator=(GrowingStorage&& o) noexcept {
    if (this != &o) {
      release();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
      capacity_ = std::exchange(o.capacity_, 0);
      meter_ = std::exchange(o.meter_, nullptr);
    }
    return *this;
  }
  GrowingStorage(const GrowingStorage&) = delete;
  GrowingStorage& operator=(const GrowingStorage&) = delete;
  ~GrowingStorage() { release(); }

  /// The most objects it can hold.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// How many it has room for now.
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  /// The storage; valid up to capacity() and until the next reach() that grows it.
  [[nodiscard]] T* data() const noexcept { return data_; }

  /// Makes room for the first `count` objects (count ≤ size()); the first `keep` (≤ capacity())
  /// are copied if the storage moves. Returns data().
  T* reach(std::size_t count, std::size_t keep) {
    if (count > capacity_) grow(count, keep);
    return data_;
  }

  /// Gives the memory back (what it held is gone); it grows again from nothing when reached.
  void free_memory() noexcept {
    ::operator delete(data_);
    if (meter_ != nullptr) meter_->held_bytes -= capacity_ * sizeof(T);
    data_ = nullptr;
    capacity_ = 0;
  }

 private:
  // The smallest allocation: a few cache lines' worth, so small tables do not grow one by one.
  static constexpr std::size_t min_count = std::max<std::size_t>(1, 64 / sizeof(T));

  void grow(std::size_t count, std::size_t keep) {
    const std::size_t fresh = std::min(size_, std::max(min_count, std::bit_ceil(count)));
    T* p = static_cast<T*>(::operator new(fresh * sizeof(T)));
    if (keep != 0) std::memcpy(p, data_, std::min(keep, capacity_) * sizeof(T));
    ::operator delete(data_);
    data_ = p;
    if (meter_ != nullptr) meter_->held_bytes += (fresh - capacity_) * sizeof(T);
    capacity_ = fresh;
  }

  void release() noexcept {
    free_memory();
    if (meter_ != nullptr) meter_->limit_bytes -= size_ * sizeof(T);
    size_ = 0;
    meter_ = nullptr;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
  TableMeter* meter_ = nullptr;
};

}  // namespace courier::detail
