#pragma once
/// \file
/// courier::HostClient<Pack>: a client living in the server's own process ("host-server"
/// mode: the player who hosts the game). It takes a slot of the server, and exchanges typed
/// values with it directly: no encoding, no crypto, no sockets, delivered at the call. Both
/// sides see the same events as with a remote client (the server's Connected event says
/// `local`). Requests time out by ClientConfig-like `request_timeout` when `update(now)` is
/// called; nothing else needs ticking.
///
/// The server must outlive its host clients or be destroyed first; either order is safe (a
/// host client whose server is gone reads Disconnected). Neither is movable.

#include <cstdint>
#include <optional>
#include <utility>
#include <variant>

#include "courier/core/error.hpp"
#include "courier/core/time.hpp"
#include "courier/typed/event_queue.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/request_table.hpp"
#include "courier/typed/signal.hpp"

namespace courier {

template <class Pack>
class Server;

template <class Pack>
class HostClient {
  using layout = detail::PackLayout<Pack>;
  static constexpr bool has_connect_message = layout::has_connect_message;
  friend class Server<Pack>;

 public:
  using Event = ClientEvent<Pack>;
  using ConnectMessage = ConnectMessageOf<Pack>;

  /// Joins `server` as `client_id` at once. When the server is full, stopped, or already has
  /// that id, the client reads Disconnected{connection_denied} and stays disconnected.
  HostClient(Server<Pack>& server, std::uint64_t client_id, std::size_t request_capacity = 1024)
    requires(!has_connect_message)
      : requests_(request_capacity) {
    join(server, client_id, ConnectMessage{});
  }
  HostClient(Server<Pack>& server, std::uint64_t client_id, const ConnectMessage& message,
             std::size_t request_capacity = 1024)
    requires has_connect_message
      : requests_(request_capacity) {
    join(server, client_id, message);
  }
  HostClient(const HostClient&) = delete;
  HostClient& operator=(const HostClient&) = delete;
  ~HostClient() { disconnect(); }

  /// Leaves the server (it sees Disconnected{closed_by_peer}); pending requests end response_lost.
  void disconnect() {
    if (server_ == nullptr) return;
    Server<Pack>* server = std::exchange(server_, nullptr);
    server->detach_local(handle_);
    end_requests();
  }

  /// Hands a message to the server. Error: not_connected.
  template <class T>
  Signal send(const T& message) {
    static_assert(layout::template is_channel_message<T>,
                  "HostClient::send: this type is not a message of the pack's channels.");
    if (server_ == nullptr) return Signal{{}, handle_, Error::not_connected};
    server_->local_message(handle_, message);
    return Signal{{}, handle_, {}, true};
  }

  /// Hands a request to the server; it is Waiting at once. Errors: not_connected, send_queue_full.
  template <class Req>
  RequestSignal request(const Req& req) {
    static_assert(layout::template is_request<Req>, "HostClient::request: this type is not a request of the pack.");
    if (server_ == nullptr) return RequestSignal{0, Error::not_connected};
    if (!requests_.can_open()) return RequestSignal{0, Error::send_queue_full};
    const TimePoint deadline = now_ == TimePoint{} ? TimePoint::max() : now_ + request_timeout;
    detail::RequestRecord& r = requests_.open(MessageHandle{}, deadline);
    r.status = RequestStatus::waiting;
    server_->local_request(handle_, static_cast<std::uint32_t>(r.id), req);
    return RequestSignal{r.id, {}};
  }

  /// Ends overdue requests as timed_out (requests made before the first update never time out).
  void update(TimePoint now) {
    now_ = now;
    requests_.trim();
    for (const RequestId id : requests_.pending()) {
      detail::RequestRecord* r = requests_.find(id);
      if (r == nullptr || is_final(r->status)) continue;
      if (r->deadline > now_) break;
      r->status = RequestStatus::timed_out;
      push(client_event::RequestEnded{id, r->status});
    }
    requests_.trim();
  }

  std::optional<Event> poll_event() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

  [[nodiscard]] DeliveryStatus status(const Signal& s) const noexcept {
    if (s.error) return DeliveryStatus{DeliveryState::dropped, static_cast<Error>(s.error.value())};
    return DeliveryStatus{DeliveryState::acked, Error::ok};
  }
  [[nodiscard]] RequestStatus status(const RequestSignal& s) const noexcept {
    if (s.error) return RequestStatus::send_failed;
    const detail::RequestRecord* r = requests_.find(s.id);
    return r == nullptr ? RequestStatus::unknown : r->status;
  }

  [[nodiscard]] bool connected() const noexcept { return server_ != nullptr; }
  /// This client as the server names it.
  [[nodiscard]] ClientHandle handle() const noexcept { return handle_; }

  /// No response within this long ends a request as timed_out (checked by update()).
  Duration request_timeout = std::chrono::seconds(10);

 private:
  void join(Server<Pack>& server, std::uint64_t client_id, const ConnectMessage& message) {
    const auto handle = server.attach_local(this, client_id, message);
    if (!handle) {
      push(client_event::Disconnected{Error::connection_denied, netcode::DisconnectReason::connection_denied, false});
      return;
    }
    server_ = &server;
    handle_ = *handle;
    push(client_event::Connected{handle_.slot, false});
  }

  template <class E>
  void push(E&& e) {
    events_.emplace_back(std::in_place_type<std::decay_t<E>>, std::forward<E>(e));
  }

  void end_requests() {
    for (const RequestId id : requests_.pending()) {
      detail::RequestRecord* r = requests_.find(id);
      if (r == nullptr || is_final(r->status)) continue;
      r->status = RequestStatus::response_lost;
      push(client_event::RequestEnded{id, r->status});
    }
    requests_.trim();
  }

  // ---- called by the server ---------------------------------------------------------------

  void deliver(Event&& e) { events_.push_back(std::move(e)); }

  template <class Resp>
  void answer_with(std::uint32_t wire, const Resp& response) {
    detail::RequestRecord* r = requests_.find_wire(wire);
    if (r == nullptr) return;
    r->status = RequestStatus::responded;
    push(client_event::Response<Resp>{r->id, response});
  }

  void answer_without(std::uint32_t wire, RequestStatus status) {
    detail::RequestRecord* r = requests_.find_wire(wire);
    if (r == nullptr) return;
    r->status = status;
    push(client_event::RequestEnded{r->id, status});
  }

  void closed(CloseReason reason) {
    server_ = nullptr;
    end_requests();
    push(client_event::ClosedByServer{reason});
  }

  void server_gone() {
    server_ = nullptr;
    end_requests();
    push(client_event::Disconnected{Error::closed_by_peer, netcode::DisconnectReason::server_stopped, false});
  }

  Server<Pack>* server_ = nullptr;
  ClientHandle handle_;
  detail::RequestTable requests_;
  detail::EventQueue<Event> events_;  // reuses its storage: no allocation per event after warm-up
  TimePoint now_{};
};

}  // namespace courier

#include "courier/typed/server.hpp"  // HostClient's calls need the complete Server
