#pragma once
/// \file
/// The typed server's sessions: one per netcode slot, remote (a Connection over netcode) or
/// local (a HostClient in this process), a list of the active slots (so no pass scans
/// max_clients), a ready list of connected slots that may hold messages, and a due list of
/// slots the next update must service (the others are quiet: serviced only in the periodic
/// sweep, see ServerIntake).
///
/// A session moves free → hello (netcode connected) → connected (hello checked) → closing
/// (close frame sent, lingering until it is acked) → free. Local sessions start connected.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "courier/channel/connection.hpp"
#include "courier/channel/message_handle.hpp"
#include "courier/core/client_handle.hpp"
#include "courier/core/time.hpp"
#include "courier/core/fixed_ring.hpp"
#include "courier/relay/virtual_address.hpp"
#include "courier/transport/address.hpp"

namespace courier::detail {

template <class Pack>
class HostInbox;

enum class SessionPhase : std::uint8_t { free, hello, connected, closing };

/// What a client over the network adds to a session.
struct RemoteSession {
  std::uint64_t net_connection = 0;  ///< the netcode connection this session runs on
  Address address;
  TimePoint next_token{};    ///< connected: when to send the next reconnect token
  TimePoint linger_until{};  ///< closing: give up waiting for the close frame's ack
  TimePoint hello_until{};   ///< hello: the client must say hello by then
  MessageHandle close_frame;
  std::vector<std::uint32_t> unsent_rejects;  ///< rejects of dropped tokens that met a full queue
  bool violated = false;  ///< a frame out of place was read; the session is closed after the read
};

/// A client in the server's process: where its events go.
template <class Pack>
struct LocalSession {
  HostInbox<Pack>* inbox = nullptr;
};

template <class Pack>
struct Session {
  SessionPhase phase = SessionPhase::free;
  bool ready = false;  ///< queued in the ready list
  bool unflushed = false;  ///< the application queued a send since its packets were last written
  bool due = false;  ///< queued in the due list: serviced in the next update
  std::uint32_t generation = 0;
  std::uint32_t active_index = 0;
  std::uint64_t client_id = 0;
  std::optional<VirtualAddress> virtual_address;  ///< relay: assigned while connected
  std::variant<RemoteSession, LocalSession<Pack>> kind;
  /// A remote session's connection. Kept across the slot's sessions (reset, not rebuilt), so a
  /// reconnecting slot reuses its pages.
  std::unique_ptr<Connection> conn;

  [[nodiscard]] RemoteSession* remote() noexcept { return std::get_if<RemoteSession>(&kind); }
  [[nodiscard]] const RemoteSession* remote() const noexcept { return std::get_if<RemoteSession>(&kind); }
  [[nodiscard]] HostInbox<Pack>* local() const noexcept {
    const auto* l = std::get_if<LocalSession<Pack>>(&kind);
    return l == nullptr ? nullptr : l->inbox;
  }
};

template <class Pack>
class SessionTable {
 public:
  using Phase = SessionPhase;

  explicit SessionTable(std::size_t slots) : sessions_(slots), ready_(slots) {
    due_.reserve(slots);
    servicing_.reserve(slots);
  }

  [[nodiscard]] Session<Pack>& operator[](std::uint32_t slot) noexcept { return sessions_[slot]; }
  [[nodiscard]] const Session<Pack>& operator[](std::uint32_t slot) const noexcept { return sessions_[slot]; }
  [[nodiscard]] ClientHandle handle_of(std::uint32_t slot) const noexcept { return {slot, sessions_[slot].generation}; }
  /// Slots with a session, in no particular order (valid until the next open or free).
  [[nodiscard]] std::span<const std::uint32_t> active() const noexcept { return active_; }

  /// The session a handle names, while it lasts (any phase but free).
  [[nodiscard]] Session<Pack>* live(ClientHandle c) noexcept {
    if (c.slot >= sessions_.size()) return nullptr;
    Session<Pack>& s = sessions_[c.slot];
    return s.phase != Phase::free && s.generation == c.generation ? &s : nullptr;
  }
  [[nodiscard]] const Session<Pack>* live(ClientHandle c) const noexcept {
    return const_cast<SessionTable*>(this)->live(c);
  }
  [[nodiscard]] Session<Pack>* connected(ClientHandle c) noexcept {
    Session<Pack>* s = live(c);
    return s != nullptr && s->phase == Phase::connected ? s : nullptr;
  }
  [[nodiscard]] std::optional<ClientHandle> find(std::uint64_t client_id) const noexcept {
    for (const std::uint32_t slot : active_)
      if (sessions_[slot].phase == Phase::connected && sessions_[slot].client_id == client_id) return handle_of(slot);
    return std::nullopt;
  }

  /// Starts a session on a free slot with a new generation.
  template <class Kind>
  Session<Pack>& open(std::uint32_t slot, std::uint64_t client_id, Phase phase, Kind kind) {
    Session<Pack>& s = sessions_[slot];
    s.phase = phase;
    s.generation = s.generation == 0xFFFFFFFFu ? 1 : s.generation + 1;
    s.client_id = client_id;
    s.virtual_address.reset();
    s.kind = std::move(kind);
    s.active_index = static_cast<std::uint32_t>(active_.size());
    active_.push_back(slot);
    return s;
  }

  /// Frees a slot (the last active slot moves into its place in active()).
  void free(std::uint32_t slot) noexcept {
    Session<Pack>& s = sessions_[slot];
    if (s.phase == Phase::free) return;
    s.phase = Phase::free;
    s.kind = RemoteSession{};
    const std::uint32_t moved = active_.back();
    active_[s.active_index] = moved;
    sessions_[moved].active_index = s.active_index;
    active_.pop_back();
  }

  /// Queues a connected slot whose messages should be read (once until taken).
  void mark_ready(std::uint32_t slot) noexcept {
    Session<Pack>& s = sessions_[slot];
    if (s.phase != Phase::connected || s.ready) return;
    s.ready = true;
    (void)ready_.push(slot);  // never full: a slot is in it at most once
  }
  [[nodiscard]] std::optional<std::uint32_t> next_ready() noexcept {
    const std::uint32_t* slot = ready_.front();
    return slot == nullptr ? std::nullopt : std::optional<std::uint32_t>(*slot);
  }
  void pop_ready() noexcept {
    if (const std::uint32_t* slot = ready_.front()) sessions_[*slot].ready = false;
    ready_.pop();
  }

  /// Queues a slot for the next update's service (once until taken): it received, sent, or
  /// still has packets or messages under way.
  void mark_due(std::uint32_t slot) noexcept {
    Session<Pack>& s = sessions_[slot];
    if (s.due) return;
    s.due = true;
    due_.push_back(slot);  // never past its reserve: a slot is in it at most once
  }
  /// The slots marked due so far, unmarked (valid until the next take_due); slots marked while
  /// they are serviced wait for the next update.
  [[nodiscard]] std::span<const std::uint32_t> take_due() noexcept {
    servicing_.swap(due_);
    due_.clear();
    for (const std::uint32_t slot : servicing_) sessions_[slot].due = false;
    return servicing_;
  }

 private:
  std::vector<Session<Pack>> sessions_;
  std::vector<std::uint32_t> active_;
  courier::detail::FixedRing<std::uint32_t> ready_;
  std::vector<std::uint32_t> due_, servicing_;  // reserved for every slot: no allocation
};

}  // namespace courier::detail
