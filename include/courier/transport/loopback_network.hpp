#pragma once
/// \file
/// LoopbackNetwork: an in-process "network" for Loopback transports. It owns one bounded inbox
/// per bound address, so two endpoints in one process (a test's client and server) exchange
/// datagrams without sockets, without the kernel, and without any timing of their own.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "courier/core/drop_reason.hpp"
#include "courier/core/error.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"

namespace courier {

/// Counters of a LoopbackNetwork as a whole.
struct LoopbackNetworkStats {
  std::uint64_t delivered = 0;    ///< datagrams put into an inbox
  std::uint64_t unreachable = 0;  ///< datagrams to an address nobody has bound (dropped)
  std::uint64_t inbox_full = 0;   ///< datagrams dropped because the target inbox was full
};

namespace detail {

/// A fixed-capacity ring of datagrams, allocated once when its address is bound.
class LoopbackInbox {
 public:
  explicit LoopbackInbox(std::size_t capacity) : ring_(capacity) {}

  /// Copies a datagram in; false (and counted as a queue_full drop) when the ring is full.
  bool push(const Address& from, std::span<const std::byte> bytes) noexcept {
    if (count_ == ring_.size()) {
      drops_.count(DropReason::queue_full);
      return false;
    }
    Datagram& slot = ring_[(head_ + count_) % ring_.size()];
    slot.from = from;
    slot.size = bytes.size();
    std::copy(bytes.begin(), bytes.end(), slot.data.begin());
    ++count_;
    return true;
  }

  /// Moves the oldest datagram into `out`; false when empty.
  bool pop(Datagram& out) noexcept {
    if (count_ == 0) return false;
    const Datagram& slot = ring_[head_];
    out.from = slot.from;
    out.size = slot.size;
    std::copy_n(slot.data.begin(), slot.size, out.data.begin());
    head_ = (head_ + 1) % ring_.size();
    --count_;
    return true;
  }

  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] const DropCounters& drops() const noexcept { return drops_; }

 private:
  std::vector<Datagram> ring_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  DropCounters drops_;
};

}  // namespace detail

/// The in-process network. Not copyable or movable: every Loopback bound to it refers to it, so
/// it must outlive them. One thread, like every courier object.
class LoopbackNetwork {
 public:
  /// Every inbox holds up to `inbox_capacity` datagrams (about 1.5 KB each, allocated at bind).
  explicit LoopbackNetwork(std::size_t inbox_capacity = 1024) : inbox_capacity_(inbox_capacity) {
    if (inbox_capacity == 0) throw std::system_error(make_error_code(Error::invalid_config));
  }
  LoopbackNetwork(const LoopbackNetwork&) = delete;
  LoopbackNetwork& operator=(const LoopbackNetwork&) = delete;

  /// Claims `address` (port 0: the first free port from 49152 up) and returns its inbox.
  /// Throws std::system_error: invalid_address for the none address, address_in_use when taken.
  [[nodiscard]] detail::LoopbackInbox& bind(Address& address) {
    if (address.is_none()) throw std::system_error(make_error_code(Error::invalid_address));
    if (address.port() == 0) address.set_port(free_port(address));
    if (inboxes_.contains(address)) {
      throw std::system_error(make_error_code(Error::address_in_use), address.to_string());
    }
    auto inbox = std::make_unique<detail::LoopbackInbox>(inbox_capacity_);
    return *inboxes_.emplace(address, std::move(inbox)).first->second;
  }

  /// Releases `address`; datagrams still in its inbox are discarded.
  void unbind(const Address& address) noexcept { inboxes_.erase(address); }

  /// Puts a datagram into the inbox bound at `to`, or drops and counts it. Like a real network
  /// the sender is not told: an unreachable peer looks the same as a lost datagram.
  void deliver(const Address& from, const Address& to, std::span<const std::byte> bytes) noexcept {
    const auto it = inboxes_.find(to);
    if (it == inboxes_.end()) {
      ++stats_.unreachable;
    } else if (it->second->push(from, bytes)) {
      ++stats_.delivered;
    } else {
      ++stats_.inbox_full;
    }
  }

  [[nodiscard]] bool is_bound(const Address& address) const noexcept {
    return inboxes_.contains(address);
  }
  [[nodiscard]] std::size_t inbox_capacity() const noexcept { return inbox_capacity_; }
  [[nodiscard]] const LoopbackNetworkStats& stats() const noexcept { return stats_; }

 private:
  // Linear probing over the dynamic port range; a test binds a handful of endpoints, so the
  // scan is short, and it only happens at bind time.
  [[nodiscard]] std::uint16_t free_port(Address probe) {
    for (std::uint32_t i = 0; i < 16384; ++i) {
      const auto port = static_cast<std::uint16_t>(49152 + (next_port_offset_ + i) % 16384);
      probe.set_port(port);
      if (!inboxes_.contains(probe)) {
        next_port_offset_ = (next_port_offset_ + i + 1) % 16384;
        return port;
      }
    }
    throw std::system_error(make_error_code(Error::address_in_use), "no free loopback port");
  }

  std::size_t inbox_capacity_;
  // unique_ptr keeps each inbox at a fixed address, so a Loopback may cache a pointer to it.
  std::unordered_map<Address, std::unique_ptr<detail::LoopbackInbox>> inboxes_;
  std::uint32_t next_port_offset_ = 0;
  LoopbackNetworkStats stats_;
};

}  // namespace courier
