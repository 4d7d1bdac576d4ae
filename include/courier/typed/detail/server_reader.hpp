#pragma once
/// \file
/// ServerReader: turns what one remote client's connection received on the request channel
/// and the pack's channels into server events, decoded straight into their types. A frame out
/// of place (an answer from a client, a message on a channel only the server sends on) marks
/// the session violated; the server closes it after the read.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "courier/channel/connection.hpp"
#include "courier/core/client_handle.hpp"
#include "courier/core/little_endian.hpp"
#include "courier/typed/detail/dispatch.hpp"
#include "courier/typed/detail/session_table.hpp"
#include "courier/typed/events.hpp"
#include "courier/typed/layout.hpp"
#include "courier/typed/request_token.hpp"
#include "courier/typed/typed_stats.hpp"

namespace courier::detail {

template <class Pack>
class ServerReader {
  using layout = PackLayout<Pack>;
  using schema = typename Pack::schema;

 public:
  using Event = ServerEvent<Pack>;

  ServerReader(std::shared_ptr<TokenSink> sink, TypedCounters& counters) noexcept
      : sink_(std::move(sink)), counters_(counters) {}

  /// The next request, then the next message in channel order, of one remote session.
  [[nodiscard]] std::optional<Event> next(Connection& c, ClientHandle client, RemoteSession& r) {
    if (auto e = next_request(c, client, r)) return e;
    for (std::size_t ch = 0; ch < layout::user_channels; ++ch)
      if (auto e = next_message(c, ch, client, r)) return e;
    return std::nullopt;
  }

 private:
  std::optional<Event> next_request(Connection& c, ClientHandle client, RemoteSession& r) {
    while (const auto m = c.receive(layout::request_channel)) {
      if (m->message_id % 2 != 0 || m->message_id >= layout::ack_id || m->bytes.size() < request_id_bytes) {
        r.violated = true;  // answers travel server → client only
        continue;
      }
      std::optional<Event> e;
      const auto wire = get_le<std::uint32_t>(m->bytes.data());
      with_type_at<typename layout::request_types>(m->message_id / 2, [&]<class Req>() {
        if (auto value = decode_as<schema, Req>(m->bytes.subspan(request_id_bytes)))
          e.emplace(std::in_place_type<server_event::Request<Pack, Req>>,
                    server_event::Request<Pack, Req>{client, RequestToken<Pack, Req>(sink_, client, wire), std::move(*value)});
      });
      if (e) return e;
      ++counters_.undecodable_messages;
    }
    return std::nullopt;
  }

  std::optional<Event> next_message(Connection& c, std::size_t ch, ClientHandle client, RemoteSession& r) {
    while (const auto m = c.receive(ch)) {
      if (!layout::channel_from_client(ch)) {
        r.violated = true;  // a channel only the server sends on
        continue;
      }
      std::optional<Event> e;
      with_channel_type<typename layout::channels>(ch, m->message_id, [&]<class T>() {
        if constexpr (layout::template client_sends<T>) {
          if (auto value = decode_as<schema, T>(m->bytes))
            e.emplace(std::in_place_type<server_event::Message<T>>, server_event::Message<T>{client, std::move(*value)});
        }
      });
      if (e) return e;
      ++counters_.undecodable_messages;
    }
    return std::nullopt;
  }

  std::shared_ptr<TokenSink> sink_;
  TypedCounters& counters_;
};

}  // namespace courier::detail
