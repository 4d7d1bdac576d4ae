#pragma once
/// \file
/// courier::HostClient<Pack>: a client living in the server's own process ("host-server"
/// mode: the player who hosts the game). It takes a slot of the server, and exchanges typed
/// values with it directly: no encoding, no crypto, no sockets, delivered at the call. Both
/// sides see the same events as with a remote client (the server's Connected event says
/// `local`). `update(clock)` ends requests that waited longer than `request_timeout`;
/// nothing else needs ticking.
///
/// The server must outlive its host clients or be destroyed first; either order is safe (a
/// host client whose server is gone reads Disconnected). Neither is movable.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "courier/core/chrono.hpp"
#include "courier/core/clock.hpp"
#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/typed/detail/host_inbox.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/server.hpp"
#include "courier/typed/signal.hpp"

namespace courier {

template <class Pack>
class HostClient : public ClientEventNames<Pack> {
  using layout = detail::PackLayout<Pack>;
  static constexpr bool has_connect_message = layout::has_connect_message;

 public:
  using Event = ClientEvent<Pack>;
  using ConnectMessage = ConnectMessageOf<Pack>;

  /// Joins `server` as `client_id` at once. When the server is full, stopped, or already has
  /// that id, the client reads Disconnected{connection_denied} and stays disconnected.
  HostClient(Server<Pack>& server, std::uint64_t client_id, std::size_t request_capacity = 1024)
    requires(!has_connect_message)
      : inbox_(request_capacity) {
    join(server, client_id, ConnectMessage{});
  }
  HostClient(Server<Pack>& server, std::uint64_t client_id, const ConnectMessage& message,
             std::size_t request_capacity = 1024)
    requires has_connect_message
      : inbox_(request_capacity) {
    join(server, client_id, message);
  }
  HostClient(const HostClient&) = delete;
  HostClient& operator=(const HostClient&) = delete;
  ~HostClient() { disconnect(); }

  /// Leaves the server (it sees Disconnected{closed_by_peer}); pending requests end response_lost.
  void disconnect() {
    if (!inbox_.attached()) return;
    inbox_.detach();
    server_->host_detach(handle_);
  }

  /// Hands a message to the server. Compiles only for messages a client may send. Error:
  /// not_connected.
  template <class T>
  Signal send(const T& message) {
    static_assert(layout::template is_channel_message<T>,
                  "HostClient::send: this type is not a message of the pack's channels.");
    static_assert(layout::template client_sends<T>,
                  "HostClient::send: this message's channel is ServerToClient; only the server sends it.");
    if (!inbox_.attached()) return Signal{{}, handle_, Error::not_connected};
    server_->host_message(handle_, message);
    return Signal{{}, handle_, {}, true};
  }

  /// Hands a request to the server; it is Waiting at once. Errors: not_connected, send_queue_full.
  template <class Req>
  RequestSignal request(const Req& req) {
    static_assert(layout::template is_request<Req>, "HostClient::request: this type is not a request of the pack.");
    if (!inbox_.attached()) return RequestSignal{0, Error::not_connected};
    detail::RequestTable& requests = inbox_.requests();
    if (!requests.can_open()) return RequestSignal{0, Error::send_queue_full};
    const TimePoint deadline = now_ == TimePoint{} ? TimePoint::max() : now_ + request_timeout;
    detail::RequestRecord& r = requests.open(MessageHandle{}, deadline);
    r.status = RequestStatus::waiting;
    server_->host_request(handle_, static_cast<std::uint32_t>(r.id), req);
    return RequestSignal{r.id, {}};
  }

  /// Ends overdue requests as timed_out (requests made before the first update never time out).
  template <Clock K>
  void update(const K& clock) {
    now_ = clock.now();
    detail::RequestTable& requests = inbox_.requests();
    requests.trim();
    for (const RequestId id : requests.pending()) {
      detail::RequestRecord* r = requests.find(id);
      if (r == nullptr || is_final(r->status)) continue;
      if (r->deadline > now_) break;
      r->status = RequestStatus::timed_out;
      inbox_.push(client_event::RequestEnded{id, r->status});
    }
    requests.trim();
  }

  std::optional<Event> poll_event() { return inbox_.take(); }

  [[nodiscard]] DeliveryStatus status(const Signal& s) const noexcept {
    if (s.error) return DeliveryStatus{DeliveryState::dropped, static_cast<Error>(s.error.value())};
    return DeliveryStatus{DeliveryState::acked, Error::ok};
  }
  [[nodiscard]] RequestStatus status(const RequestSignal& s) const noexcept {
    if (s.error) return RequestStatus::send_failed;
    const detail::RequestRecord* r = inbox_.requests().find(s.id);
    return r == nullptr ? RequestStatus::unknown : r->status;
  }

  [[nodiscard]] bool connected() const noexcept { return inbox_.attached(); }
  /// This client as the server names it.
  [[nodiscard]] ClientHandle handle() const noexcept { return handle_; }

  /// No response within this long ends a request as timed_out (checked by update()).
  Duration request_timeout = std::chrono::seconds(10);

 private:
  void join(Server<Pack>& server, std::uint64_t client_id, const ConnectMessage& message) {
    const auto handle = server.host_attach(inbox_, client_id, message);
    if (!handle) {
      inbox_.push(client_event::Disconnected{Error::connection_denied, netcode::DisconnectReason::connection_denied, false});
      return;
    }
    server_ = &server;
    handle_ = *handle;
    inbox_.attach();
    inbox_.push(client_event::Connected{handle_.slot, false});
  }

  detail::HostInbox<Pack> inbox_;
  Server<Pack>* server_ = nullptr;  // valid while inbox_ is attached
  ClientHandle handle_;
  TimePoint now_{};
};

}  // namespace courier
