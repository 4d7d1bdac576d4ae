#pragma once
/// \file
/// Loopback: the in-process Transport. Endpoints bound to one LoopbackNetwork exchange datagrams
/// through the network's inboxes: `send` copies the datagram straight into the target inbox,
/// so delivery is immediate and `flush` / `update` do nothing. Wrap it in Simulated<Loopback>
/// to add latency and loss.

#include <algorithm>
#include <cstddef>
#include <span>
#include <system_error>
#include <utility>

#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/loopback_network.hpp"
#include "courier/transport/transport_stats.hpp"

namespace courier {

/// One endpoint on a LoopbackNetwork. Move-only; the destructor unbinds its address. The inbox
/// lives in the network, so moving a Loopback moves only a pointer and an address.
class Loopback {
 public:
  /// Binds `address` on `network` (port 0: the network picks a free port).
  /// Throws std::system_error with Error::invalid_address (none address) or
  /// Error::address_in_use (already bound).
  Loopback(LoopbackNetwork& network, Address address)
      : network_(&network), address_(address), inbox_(&network.bind(address_)) {}

  Loopback(Loopback&& other) noexcept
      : network_(std::exchange(other.network_, nullptr)),
        address_(other.address_),
        inbox_(std::exchange(other.inbox_, nullptr)),
        stats_(other.stats_) {}

  Loopback& operator=(Loopback&& other) noexcept {
    if (this != &other) {
      release();
      network_ = std::exchange(other.network_, nullptr);
      address_ = other.address_;
      inbox_ = std::exchange(other.inbox_, nullptr);
      stats_ = other.stats_;
    }
    return *this;
  }

  Loopback(const Loopback&) = delete;
  Loopback& operator=(const Loopback&) = delete;
  ~Loopback() { release(); }

  /// Copies `bytes` into the inbox bound at `to`. Errors: message_too_large above
  /// max_datagram_bytes, invalid_address for the none address, not_connected on a moved-from
  /// object. An unbound destination or a full inbox is not an error for the sender (it is not
  /// for UDP either); the network counts those drops.
  [[nodiscard]] std::error_code send(const Address& to, std::span<const std::byte> bytes) noexcept {
    if (network_ == nullptr) return Error::not_connected;
    if (bytes.size() > max_datagram_bytes) return Error::message_too_large;
    if (to.is_none()) return Error::invalid_address;
    network_->deliver(address_, to, bytes);
    ++stats_.datagrams_sent;
    stats_.bytes_sent += bytes.size();
    return {};
  }

  /// Nothing to do: send delivered already.
  void flush() noexcept {}

  /// Moves up to `slots.size()` waiting datagrams into `slots`, oldest first.
  [[nodiscard]] std::size_t receive(std::span<Datagram> slots) noexcept {
    if (inbox_ == nullptr) return 0;
    std::size_t n = 0;
    while (n < slots.size() && inbox_->pop(slots[n])) {
      stats_.bytes_received += slots[n].size;
      ++n;
    }
    stats_.datagrams_received += n;
    return n;
  }

  /// Nothing is time-driven here.
  void update(TimePoint) noexcept {}

  [[nodiscard]] Address local_address() const noexcept { return address_; }

  /// Datagrams waiting in this endpoint's inbox.
  [[nodiscard]] std::size_t pending() const noexcept { return inbox_ ? inbox_->size() : 0; }

  /// This endpoint's counters; `drops` holds datagrams to it dropped because its inbox was full.
  [[nodiscard]] TransportStats stats() const noexcept {
    TransportStats s = stats_;
    if (inbox_ != nullptr) s.drops = inbox_->drops();
    return s;
  }

 private:
  void release() noexcept {
    if (network_ != nullptr) network_->unbind(address_);
    network_ = nullptr;
    inbox_ = nullptr;
  }

  LoopbackNetwork* network_;
  Address address_;
  detail::LoopbackInbox* inbox_;
  TransportStats stats_;
};

}  // namespace courier
