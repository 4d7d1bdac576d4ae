#pragma once
/// \file
/// ClientCore: the typed client's state. The connection's life (netcode, the hello, control
/// and reconnect-token frames, reconnection, teardown) is ClientLink's, which does not depend on
/// the pack; ClientCore adds what does — the pack's event queue, its requests, its connect
/// message and the decoding of what arrives on its channels — through ClientLink's hooks.
/// Client<Pack> is the public face over it.

#include <cstddef>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "courier/typed/detail/client_link.hpp"
#include "courier/typed/detail/client_requests.hpp"
#include "courier/typed/detail/dispatch.hpp"
#include "courier/typed/detail/event_queue.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"

namespace courier::detail {

template <class Pack>
class ClientCore final : public ClientLink<typename Pack::transport, typename Pack::crypto> {
  using layout = PackLayout<Pack>;
  using schema = typename Pack::schema;
  using Link = ClientLink<typename Pack::transport, typename Pack::crypto>;
  static constexpr bool has_connect_message = layout::has_connect_message;

  static constexpr LinkLayout link_layout{layout::control_channel, layout::token_channel,  layout::relay_channel,
                                          layout::has_relay,       Pack::schema_hash,       Pack::protocol_id,
                                          layout::largest_frame + request_id_bytes};

 public:
  using Event = ClientEvent<Pack>;
  using ConnectMessage = ConnectMessageOf<Pack>;

  ClientCore(typename Pack::transport transport, ClientConfig c)
      : Link(std::move(transport), c, link_layout, layout::connection_config(c)),
        requests(this->config.request_capacity, this->conn, events, this->counters) {}

  /// The next message on the pack's channels; a message on a channel only clients send on is
  /// a protocol violation (the connection is closed at the next update).
  std::optional<Event> next_channel_message() {
    for (std::size_t ch = 0; ch < layout::user_channels; ++ch) {
      while (const auto m = this->conn.receive(ch)) {
        std::optional<Event> e;
        with_channel_type<typename layout::channels>(ch, m->message_id, [&]<class T>() {
          if constexpr (layout::template server_sends<T>) {
            if (auto value = decode_as<schema, T>(m->bytes))
              e.emplace(std::in_place_type<client_event::Message<T>>, client_event::Message<T>{std::move(*value)});
          } else {
            this->violated = true;
          }
        });
        if (e) return e;
        if (!this->violated) ++this->counters.undecodable_messages;
      }
    }
    return std::nullopt;
  }

  EventQueue<Event> events;  // reuses its storage: no allocation per event after warm-up
  ClientRequests<Pack> requests;
  [[no_unique_address]] std::conditional_t<has_connect_message, ConnectMessage, std::monostate> connect_message{};

 private:
  void emit(client_event::Connected e) override { events.emplace_back(std::in_place_type<decltype(e)>, e); }
  void emit(client_event::Disconnected e) override { events.emplace_back(std::in_place_type<decltype(e)>, e); }
  void emit(client_event::ClosedByServer e) override { events.emplace_back(std::in_place_type<decltype(e)>, e); }
  void emit(client_event::IsDead e) override { events.emplace_back(std::in_place_type<decltype(e)>, std::move(e)); }
  void keep_delivered_messages() override {
    while (auto m = next_channel_message()) events.push_back(std::move(*m));
  }
  std::vector<RequestId> end_requests() override { return requests.end_all(); }
  bool read_answers() override { return requests.read_answers(); }
  void advance_requests() override { requests.advance(); }
  void expire_requests(TimePoint time) override { requests.expire(time); }
  std::size_t encode_connect_message(std::span<std::byte> out) override {
    if constexpr (has_connect_message) return schema::encode(connect_message, out).size;
    else return 0;
  }
};

}  // namespace courier::detail
