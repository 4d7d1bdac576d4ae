#pragma once
/// \file
/// ClientRequests: the typed client's requests — sending one on the request channel, its
/// status as it moves (sending → waiting once its packet is acked → an answer, a timeout, or
/// the connection's end), and the answers the server sends back, as events.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "courier/channel/connection.hpp"
#include "courier/core/little_endian.hpp"
#include "courier/core/time.hpp"
#include "courier/typed/detail/dispatch.hpp"
#include "courier/typed/detail/event_queue.hpp"
#include "courier/typed/detail/request_table.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/signal.hpp"
#include "courier/typed/typed_stats.hpp"

namespace courier::detail {

template <class Pack>
class ClientRequests {
  using layout = PackLayout<Pack>;
  using schema = typename Pack::schema;
  using Event = ClientEvent<Pack>;

 public:
  ClientRequests(std::size_t capacity, Connection& conn, EventQueue<Event>& events, TypedCounters& counters)
      : table_(capacity), conn_(conn), events_(events), counters_(counters) {}

  /// Sends `req` (encoded into `scratch` after its id). Errors as Client::request.
  template <class Req>
  RequestSignal send(const Req& req, std::span<std::byte> scratch, TimePoint deadline) noexcept {
    if (!table_.can_open()) return RequestSignal{0, Error::send_queue_full};
    const RequestId id = table_.next_id();
    put_le(scratch.data(), static_cast<std::uint32_t>(id));
    const EncodeResult e = schema::encode(req, scratch.subspan(request_id_bytes));
    if (!e) return RequestSignal{0, e.error};
    const SendResult r = conn_.send(layout::request_channel, 2 * layout::template pair_of<Req>,
                                    std::span<const std::byte>(scratch.data(), request_id_bytes + e.size));
    if (!r) return RequestSignal{0, r.error};
    table_.open(r.handle, deadline).pair = layout::template pair_of<Req>;
    return RequestSignal{id, {}};
  }

  [[nodiscard]] RequestStatus status(const RequestSignal& s) const noexcept {
    if (s.error) return RequestStatus::send_failed;
    const RequestRecord* r = table_.find(s.id);
    return r == nullptr ? RequestStatus::unknown : r->status;
  }

  /// Reads the server's answers; false when one breaks the protocol.
  [[nodiscard]] bool read_answers() {
    while (const auto m = conn_.receive(layout::request_channel)) {
      if (m->bytes.size() < request_id_bytes || (m->message_id % 2 == 0 && m->message_id < layout::ack_id)) return false;
      RequestRecord* r = table_.find_wire(get_le<std::uint32_t>(m->bytes.data()));
      if (r == nullptr) {
        ++counters_.late_answers;
        continue;
      }
      if (m->message_id < layout::ack_id && m->message_id / 2 != r->pair) return false;  // another pair's response
      if (m->message_id == layout::ack_id || m->message_id == layout::reject_id) {
        end(*r, m->message_id == layout::ack_id ? RequestStatus::acked : RequestStatus::rejected);
        continue;
      }
      read_response(*r, m->message_id / 2, m->bytes.subspan(request_id_bytes));
    }
    return true;
  }

  /// Sending → Waiting once the request's packet is acked.
  void advance() noexcept {
    for (const RequestId id : table_.pending()) {
      RequestRecord* r = table_.find(id);
      if (r != nullptr && r->status == RequestStatus::sending && conn_.status(r->handle).state == DeliveryState::acked)
        r->status = RequestStatus::waiting;
    }
  }

  /// Ends the requests whose deadline has passed as timed_out.
  void expire(TimePoint now) {
    table_.trim();
    for (const RequestId id : table_.pending()) {
      RequestRecord* r = table_.find(id);
      if (r == nullptr || is_final(r->status)) continue;
      if (r->deadline > now) break;  // ids are in deadline order
      end(*r, RequestStatus::timed_out);
    }
    table_.trim();
  }

  /// The connection ended: each pending request ends send_failed (the server never got it) or
  /// response_lost; returns their ids.
  std::vector<RequestId> end_all() {
    std::vector<RequestId> lost;
    for (const RequestId id : table_.pending()) {
      RequestRecord* r = table_.find(id);
      if (r == nullptr || is_final(r->status)) continue;
      const bool received = r->status == RequestStatus::waiting || conn_.status(r->handle).state == DeliveryState::acked;
      end(*r, received ? RequestStatus::response_lost : RequestStatus::send_failed);
      lost.push_back(id);
    }
    table_.trim();
    return lost;
  }

 private:
  void end(RequestRecord& r, RequestStatus status) {
    r.status = status;
    events_.push_back(Event(std::in_place_type<client_event::RequestEnded>, client_event::RequestEnded{r.id, status}));
  }

  void read_response(RequestRecord& r, std::size_t pair, std::span<const std::byte> body) {
    with_type_at<typename layout::response_types>(pair, [&]<class Resp>() {
      if (auto value = decode_as<schema, Resp>(body)) {
        r.status = RequestStatus::responded;
        events_.push_back(Event(std::in_place_type<client_event::Response<Resp>>,
                                client_event::Response<Resp>{r.id, std::move(*value)}));
      } else {
        ++counters_.undecodable_messages;
        end(r, RequestStatus::response_lost);
      }
    });
  }

  RequestTable table_;
  Connection& conn_;
  EventQueue<Event>& events_;
  TypedCounters& counters_;
};

}  // namespace courier::detail
