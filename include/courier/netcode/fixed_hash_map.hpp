#pragma once
/// \file
/// FixedHashMap: a bounded open-addressing hash map (linear probing, backward-shift deletion,
/// so no tombstones) for the server's per-packet lookups (address -> slot, address ->
/// encryption mapping, client id -> slot, token tag -> history entry).
///
/// It holds at most `capacity` entries. Its table starts small and doubles (rehashing) when an
/// insert would fill more than half of it, up to twice `capacity` buckets: a server sized for
/// thousands of clients keeps tables for the entries it has, not for its worst case (the
/// buckets are written in random order, so a table built at full size is resident in full as
/// soon as a few entries spread over it). Growing allocates; a map that reached its largest
/// table never allocates again, and lookups and erases never do. A failed allocation throws
/// std::bad_alloc, which in the noexcept insert ends the process, as running out of memory
/// anywhere on the packet path would.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace courier::netcode::detail {

/// Maps `K` to `V` for at most `capacity` entries; the table keeps a load factor <= 1/2.
template <class K, class V, class Hash = std::hash<K>>
class FixedHashMap {
 public:
  explicit FixedHashMap(std::size_t capacity) : capacity_(capacity) {
    while (max_buckets_ < 2 * capacity) max_buckets_ *= 2;
    buckets_.resize(std::min(max_buckets_, first_buckets));
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] bool full() const noexcept { return size_ >= capacity_; }
  /// Buckets the table has now (at most twice the capacity, rounded up to a power of two).
  [[nodiscard]] std::size_t buckets() const noexcept { return buckets_.size(); }

  /// The value of `key`, or null.
  [[nodiscard]] V* find(const K& key) noexcept {
    const std::size_t i = locate(key);
    return buckets_[i].used ? &buckets_[i].value : nullptr;
  }
  [[nodiscard]] const V* find(const K& key) const noexcept {
    return const_cast<FixedHashMap*>(this)->find(key);
  }

  /// Inserts or overwrites; false (and nothing changes) when a new key finds the map full.
  bool insert(const K& key, const V& value) noexcept {
    std::size_t i = locate(key);
    if (!buckets_[i].used) {
      if (full()) return false;
      if (2 * (size_ + 1) > buckets_.size() && buckets_.size() < max_buckets_) {
        grow();
        i = locate(key);
      }
      buckets_[i].used = true;
      buckets_[i].key = key;
      ++size_;
    }
    buckets_[i].value = value;
    return true;
  }

  /// Removes `key`; false when absent. Later entries of the probe run shift back into the hole.
  bool erase(const K& key) noexcept {
    std::size_t hole = locate(key);
    if (!buckets_[hole].used) return false;
    const std::size_t mask = buckets_.size() - 1;
    for (std::size_t j = (hole + 1) & mask; buckets_[j].used; j = (j + 1) & mask) {
      const std::size_t home = home_of(buckets_[j].key);
      // Move j into the hole unless its home lies cyclically in (hole, j].
      const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (!stays) {
        buckets_[hole] = buckets_[j];
        hole = j;
      }
    }
    buckets_[hole].used = false;
    --size_;
    return true;
  }

  /// Removes every entry; keeps the storage.
  void clear() noexcept {
    for (auto& b : buckets_) b.used = false;
    size_ = 0;
  }

 private:
  struct Bucket {
    K key{};
    V value{};
    bool used = false;
  };

  [[nodiscard]] std::size_t home_of(const K& key) const noexcept {
    // Fibonacci hashing spreads weak hashes (std::hash<uint64_t> is the identity).
    const std::uint64_t h = static_cast<std::uint64_t>(Hash{}(key)) * 0x9e3779b97f4a7c15ull;
    return static_cast<std::size_t>(h >> 32) & (buckets_.size() - 1);
  }

  // Twice the buckets, every entry at its place in the new table.
  void grow() {
    std::vector<Bucket> old(buckets_.size() * 2);
    old.swap(buckets_);
    for (const Bucket& b : old)
      if (b.used) buckets_[locate(b.key)] = b;
  }

  /// The bucket holding `key`, or the empty bucket where it would go.
  [[nodiscard]] std::size_t locate(const K& key) const noexcept {
    const std::size_t mask = buckets_.size() - 1;
    std::size_t i = home_of(key);
    while (buckets_[i].used && !(buckets_[i].key == key)) i = (i + 1) & mask;
    return i;
  }

  static constexpr std::size_t first_buckets = 64;

  std::vector<Bucket> buckets_;
  std::size_t capacity_;
  std::size_t max_buckets_ = 8;  // a power of two, at least 2 x capacity
  std::size_t size_ = 0;
};

}  // namespace courier::netcode::detail
