#pragma once
/// \file
/// Arena and RawStorage: one connection's tables share blocks of pages the connection maps
/// itself instead of a few dozen heap allocations.
///
/// Why: with separate allocations, the allocator's bookkeeping writes the first and last page
/// of every table, so a connection that never used a table still paid one or two resident pages
/// for it (about 80 KiB per idle connection, measured with mincore). Tables carved from blocks
/// of pages mapped straight from the operating system have no headers in between: a page
/// becomes resident only when a table written there is used. One or two mappings per
/// connection also cost less to set up than a few dozen allocations.
///
/// How: an owner (Connection) keeps an Arena and opens an `ArenaScope` while it constructs its
/// tables; every RawStorage created on that thread inside the scope takes its bytes from the
/// arena. Outside any scope (unit tests building a table alone) RawStorage uses the heap. Arena
/// memory is released with the arena, so the owner must outlive its tables: declare the arena
/// first.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace courier::detail {

class Arena {
 public:
  /// Bytes of each block; a request larger than that gets a block of its own.
  static constexpr std::size_t block_bytes = 256 * 1024;

  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  /// `bytes` bytes aligned to `align` (a power of two ≤ the page size), uninitialised.
  /// Throws std::bad_alloc.
  std::byte* take(std::size_t bytes, std::size_t align) {
    std::size_t pad = padding(align);
    if (next_ == nullptr || pad + bytes > left_) {
      blocks_.emplace_back(std::max(bytes, block_bytes));
      next_ = blocks_.back().data();
      left_ = blocks_.back().size();
      pad = 0;  // blocks start on a page
    }
    std::byte* p = next_ + pad;
    next_ = p + bytes;
    left_ -= pad + bytes;
    taken_ += bytes;
    return p;
  }

  /// Bytes handed out so far (address space reserved for tables; resident only where used).
  [[nodiscard]] std::size_t taken_bytes() const noexcept { return taken_; }

 private:
  /// Pages straight from the operating system (mmap): no allocator header is written into
  /// them, so a block is resident only where tables were used. Freed with munmap.
  class Block {
   public:
    explicit Block(std::size_t bytes) : size_(round_to_pages(bytes)) {
      void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      data_ = static_cast<std::byte*>(p);
    }
    Block(Block&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
    Block& operator=(Block&&) = delete;
    Block(const Block&) = delete;
    Block& operator=(const Block&) = delete;
    ~Block() {
      if (data_ != nullptr) ::munmap(data_, size_);
    }
    [[nodiscard]] std::byte* data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }

   private:
    static std::size_t round_to_pages(std::size_t bytes) {
      const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
      return (bytes + page - 1) / page * page;
    }
    std::byte* data_ = nullptr;
    std::size_t size_ = 0;
  };

  [[nodiscard]] std::size_t padding(std::size_t align) const noexcept {
    return (align - reinterpret_cast<std::uintptr_t>(next_) % align) % align;
  }

  std::vector<Block> blocks_;
  std::byte* next_ = nullptr;
  std::size_t left_ = 0;
  std::size_t taken_ = 0;
};

/// The arena that RawStorage created on this thread takes from (none: the heap).
inline thread_local Arena* filling_arena = nullptr;

/// Makes `arena` the one RawStorage takes from on this thread, until the scope ends.
class ArenaScope {
 public:
  explicit ArenaScope(Arena& arena) noexcept : previous_(filling_arena) { filling_arena = &arena; }
  ~ArenaScope() { filling_arena = previous_; }
  ArenaScope(const ArenaScope&) = delete;
  ArenaScope& operator=(const ArenaScope&) = delete;

 private:
  Arena* previous_;
};

/// An owner's arena, filling from construction until `done()`. Declared as the owner's first
/// member, it is the storage of every member initialised after it; the owner's constructor
/// body calls `done()` (if a member's constructor throws, the scope ends with it).
class MemberArena {
 public:
  MemberArena() : arena_(std::make_unique<Arena>()), scope_(std::in_place, *arena_) {}
  MemberArena(const MemberArena&) = delete;
  MemberArena& operator=(const MemberArena&) = delete;

  void done() noexcept { scope_.reset(); }
  /// Adopts an arena filled by a rebuild of the owner's tables; the old one is freed, so call
  /// it only once nothing points into the old one.
  void replace(std::unique_ptr<Arena> fresh) noexcept { arena_ = std::move(fresh); }
  [[nodiscard]] const Arena& arena() const noexcept { return *arena_; }

 private:
  std::unique_ptr<Arena> arena_;
  std::optional<ArenaScope> scope_;
};

/// Uninitialised storage for `count` objects of a trivially copyable type: from the filling
/// arena if there is one, else from the heap (then freed with this object).
template <class T>
class RawStorage {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "RawStorage holds plain data only");

 public:
  RawStorage() = default;
  explicit RawStorage(std::size_t count) : count_(count) {
    if (count == 0) return;
    if (filling_arena != nullptr) {
      data_ = reinterpret_cast<T*>(filling_arena->take(count * sizeof(T), alignof(T)));
    } else {
      data_ = static_cast<T*>(::operator new(count * sizeof(T)));
      owned_ = true;
    }
  }
  RawStorage(RawStorage&& o) noexcept : data_(o.data_), count_(o.count_), owned_(o.owned_) { o.forget(); }
  RawStorage& operator=(RawStorage&& o) noexcept {
    if (this != &o) {
      release();
      data_ = o.data_;
      count_ = o.count_;
      owned_ = o.owned_;
      o.forget();
    }
    return *this;
  }
  RawStorage(const RawStorage&) = delete;
  RawStorage& operator=(const RawStorage&) = delete;
  ~RawStorage() { release(); }

  [[nodiscard]] T* data() const noexcept { return data_; }
  [[nodiscard]] std::size_t count() const noexcept { return count_; }

 private:
  void release() noexcept {
    if (owned_) ::operator delete(data_);
    forget();
  }
  void forget() noexcept {
    data_ = nullptr;
    count_ = 0;
    owned_ = false;
  }

  T* data_ = nullptr;
  std::size_t count_ = 0;
  bool owned_ = false;
};

}  // namespace courier::detail
