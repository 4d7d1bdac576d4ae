#pragma once
/// \file
/// HostInbox: the receiving half of a HostClient, which the server it joined writes into —
/// its events and the outcomes of its requests. The server holds a pointer to it for as long
/// as the host client's session lasts; `closed` and `server_gone` end that.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>

#include "courier/core/error.hpp"
#include "courier/netcode/events.hpp"
#include "courier/typed/close_reason.hpp"
#include "courier/typed/detail/event_queue.hpp"
#include "courier/typed/detail/request_table.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/signal.hpp"

namespace courier::detail {

template <class Pack>
class HostInbox {
 public:
  using Event = ClientEvent<Pack>;

  explicit HostInbox(std::size_t request_capacity) : requests_(request_capacity) {}

  /// True while a server holds this inbox (between attach and detach, closed or server_gone).
  [[nodiscard]] bool attached() const noexcept { return attached_; }
  void attach() noexcept { attached_ = true; }
  /// This side left: pending requests end as response_lost.
  void detach() {
    attached_ = false;
    end_requests();
  }

  [[nodiscard]] RequestTable& requests() noexcept { return requests_; }
  [[nodiscard]] const RequestTable& requests() const noexcept { return requests_; }

  template <class E>
  void push(E&& e) {
    events_.emplace_back(std::in_place_type<std::decay_t<E>>, std::forward<E>(e));
  }
  [[nodiscard]] std::optional<Event> take() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
  }

  // ---- written by the server ------------------------------------------------------------

  template <class T>
  void deliver_message(const T& message) {
    push(client_event::Message<T>{message});
  }
  template <class Resp>
  void answer_with(std::uint32_t wire, const Resp& response) {
    RequestRecord* r = requests_.find_wire(wire);
    if (r == nullptr) return;
    r->status = RequestStatus::responded;
    push(client_event::Response<Resp>{r->id, response});
  }
  void answer_without(std::uint32_t wire, RequestStatus status) {
    RequestRecord* r = requests_.find_wire(wire);
    if (r == nullptr) return;
    r->status = status;
    push(client_event::RequestEnded{r->id, status});
  }
  /// The server closed this client on purpose.
  void closed(CloseReason reason) {
    detach();
    push(client_event::ClosedByServer{reason});
  }
  /// The server was destroyed first.
  void server_gone() {
    detach();
    push(client_event::Disconnected{Error::closed_by_peer, netcode::DisconnectReason::server_stopped, false});
  }

 private:
  void end_requests() {
    for (const RequestId id : requests_.pending()) {
      RequestRecord* r = requests_.find(id);
      if (r == nullptr || is_final(r->status)) continue;
      r->status = RequestStatus::response_lost;
      push(client_event::RequestEnded{id, r->status});
    }
    requests_.trim();
  }

  RequestTable requests_;
  EventQueue<Event> events_;  // reuses its storage: no allocation per event after warm-up
  bool attached_ = false;
};

}  // namespace courier::detail
