#pragma once
/// \file
/// ServerRelay: the typed server's relay part (packs with a Relay; docs/PROTOCOL.md Part 4).
/// It owns the address book and the RelayServer, gives each connected client its virtual
/// address, feeds the relay channel's frames to the RelayServer, and is the RelayServer's sink:
/// frames go out on the relay channel of the target's connection.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "courier/channel/connection.hpp"
#include "courier/core/client_handle.hpp"
#include "courier/core/time.hpp"
#include "courier/relay/frames.hpp"
#include "courier/relay/relay_limits.hpp"
#include "courier/relay/relay_server.hpp"
#include "courier/relay/virtual_address.hpp"
#include "courier/typed/detail/session_table.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/typed_stats.hpp"

namespace courier::detail {

template <class Pack, class Book>
class ServerRelay final : public RelaySink {
  using layout = PackLayout<Pack>;

 public:
  ServerRelay(SessionTable<Pack>& sessions, Book book, std::size_t max_clients, RelayLimits limits,
              std::uint64_t seed, TypedCounters& counters)
      : sessions_(sessions), book_(std::move(book)),
        relay_(*this, layout::has_relay ? max_clients : 0, limits, seed), counters_(counters) {}

  ServerRelay(const ServerRelay&) = delete;
  ServerRelay& operator=(const ServerRelay&) = delete;

  /// Gives a connected client its virtual address. A full or failing book leaves the client
  /// without the relay (its relay frames are then violations), counted in relay_unavailable.
  void join(std::uint32_t slot, TimePoint now) {
    if constexpr (layout::has_relay) {
      Session<Pack>& s = sessions_[slot];
      std::optional<VirtualAddress> address;
      try {
        address = book_.assign(s.client_id);
      } catch (...) {
        address.reset();
      }
      if (!address) {
        ++counters_.relay_unavailable;
        return;
      }
      s.virtual_address = *address;
      relay_.on_connected(sessions_.handle_of(slot), *address, now);
    }
  }

  /// Feeds the frames a connected client sent; false when one is a protocol violation.
  [[nodiscard]] bool read(std::uint32_t slot, TimePoint now) {
    if constexpr (layout::has_relay) {
      Session<Pack>& s = sessions_[slot];
      while (s.phase == SessionPhase::connected) {
        const auto m = s.conn->receive(layout::relay_channel);
        if (!m) return true;
        if (!s.virtual_address || !relay_.on_frame(sessions_.handle_of(slot), m->message_id, m->bytes, now)) return false;
      }
    }
    return true;
  }

  /// A client is leaving: applies the frames it sent before it left (a close, last data; a bad
  /// one is counted and ignored), then closes its sockets.
  void leave(std::uint32_t slot, TimePoint now) {
    if constexpr (layout::has_relay) {
      Session<Pack>& s = sessions_[slot];
      if (!s.virtual_address) return;
      if (s.remote() != nullptr)
        while (const auto m = s.conn->receive(layout::relay_channel))
          if (!relay_.on_frame(sessions_.handle_of(slot), m->message_id, m->bytes, now)) ++counters_.protocol_violations;
      relay_.on_disconnected(sessions_.handle_of(slot));
      s.virtual_address.reset();
    }
  }

  void update(TimePoint now) {
    if constexpr (layout::has_relay) relay_.update(now);
  }

  /// RelayServer's sink: one relay frame to a connected remote client.
  bool relay_send(ClientHandle to, RelayFrame frame, std::span<const std::byte> bytes) override {
    Session<Pack>* s = sessions_.connected(to);
    if (s == nullptr || s->remote() == nullptr) return false;
    if (s->conn->send(layout::relay_channel, static_cast<std::uint32_t>(frame), bytes).error) return false;
    sessions_.mark_due(to.slot);  // written when that session is serviced
    return true;
  }

  [[nodiscard]] const Book& book() const noexcept { return book_; }
  [[nodiscard]] const RelayStats& stats() const noexcept { return relay_.stats(); }

 private:
  SessionTable<Pack>& sessions_;
  [[no_unique_address]] Book book_;
  RelayServer relay_;  // idle unless the pack has a Relay
  TypedCounters& counters_;
};

}  // namespace courier::detail
