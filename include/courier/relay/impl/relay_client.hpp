#pragma once
/// \file
/// RelayClient's function definitions: inline in header-only mode, compiled once by
/// courier/impl/src.hpp under COURIER_SEPARATE_COMPILATION (core/config.hpp).

#include "courier/relay/relay_client.hpp"

namespace courier {

COURIER_DECL bool RelayClient::listening(std::uint16_t port) const noexcept {
  for (const std::uint16_t p : ports_)
    if (p == port) return true;
  return false;
}

COURIER_DECL RelayConnect RelayClient::connect(VirtualAddress target, std::uint16_t port) {
  if (!up()) return RelayConnect{0, Error::not_connected};
  const std::uint32_t request = next_request_;
  next_request_ = next_request_ == 0xFFFFFFFFu ? 1 : next_request_ + 1;
  detail::RelayFrameWriter w;
  if (const auto ec = send(detail::RelayFrame::connect, w.u32(request).u32(target.value).u16(port).span()))
    return RelayConnect{0, ec};
  connects_[request] = Target{target, port};
  return RelayConnect{request, {}};
}

COURIER_DECL std::error_code RelayClient::send(RelaySocketId socket, std::span<const std::byte> bytes) {
  const auto it = sockets_.find(socket);
  if (!up() || it == sockets_.end() || !it->second.open) return Error::not_connected;
  if (bytes.empty() || bytes.size() > detail::relay_max_data_bytes) return Error::message_too_large;
  std::array<std::byte, detail::relay_max_frame_bytes> frame{};
  detail::put_le(frame.data(), socket);
  std::copy(bytes.begin(), bytes.end(), frame.begin() + 4);
  return send(detail::RelayFrame::data, std::span<const std::byte>(frame.data(), 4 + bytes.size()));
}

COURIER_DECL std::error_code RelayClient::close(RelaySocketId socket) {
  if (!up() || !sockets_.contains(socket)) return Error::not_connected;
  detail::RelayFrameWriter w;
  if (const auto ec = send(detail::RelayFrame::close, w.u32(socket).span())) return ec;
  sockets_.erase(socket);
  events_.emplace_back(relay_event::Closed{socket, RelayCloseReason::by_self});
  return {};
}

COURIER_DECL bool RelayClient::on_frame(std::uint32_t id, std::span<const std::byte> bytes) {
  if (!detail::relay_frame_valid(id, bytes)) return false;
  const auto frame = static_cast<detail::RelayFrame>(id);
  if (detail::client_to_server(frame)) return false;
  const auto first = detail::get_le<std::uint32_t>(bytes.data());
  switch (frame) {
    case detail::RelayFrame::assigned:
      address_ = VirtualAddress{first};
      events_.emplace_back(relay_event::AddressAssigned{*address_});
      return true;
    case detail::RelayFrame::incoming: on_incoming(first, bytes); return true;
    case detail::RelayFrame::established: return on_established(first, bytes);
    case detail::RelayFrame::failed: return on_failed(first, bytes);
    case detail::RelayFrame::data_in:
      if (!sockets_.contains(first) || !sockets_[first].open) return true;  // closed here meanwhile
      events_.emplace_back(relay_event::Data{first, std::vector<std::byte>(bytes.begin() + 4, bytes.end())});
      return true;
    case detail::RelayFrame::closed:
      if (sockets_.erase(first) != 0)
        events_.emplace_back(relay_event::Closed{first, static_cast<RelayCloseReason>(std::to_integer<std::uint8_t>(bytes[4]))});
      return true;
    case detail::RelayFrame::error:
      events_.emplace_back(relay_event::Refused{detail::get_le<std::uint32_t>(bytes.data() + 1),
                                              static_cast<RelayError>(std::to_integer<std::uint8_t>(bytes[0]))});
      return true;
    default: return false;
  }
}

COURIER_DECL void RelayClient::on_connection_lost() {
  for (const auto& [id, s] : sockets_) events_.emplace_back(relay_event::Closed{id, RelayCloseReason::peer_disconnected});
  for (const auto& [request, t] : connects_)
    events_.emplace_back(relay_event::Failed{request, t.address, t.port, RelayFailure::target_offline});
  sockets_.clear();
  connects_.clear();
  address_.reset();
  up_ = false;
}

COURIER_DECL std::optional<RelayEvent> RelayClient::take_event() {
  if (events_.empty()) return std::nullopt;
  RelayEvent e = std::move(events_.front());
  events_.pop_front();
  return e;
}

COURIER_DECL std::error_code RelayClient::answer(RelaySocketId socket, std::optional<RelayFailure> refusal) {
  const auto it = sockets_.find(socket);
  if (!up()) return Error::not_connected;
  if (it == sockets_.end() || it->second.open) return Error::invalid_config;
  detail::RelayFrameWriter w;
  w.u32(socket);
  if (refusal) w.u8(static_cast<std::uint8_t>(*refusal));
  if (const auto ec = send(refusal ? detail::RelayFrame::refuse : detail::RelayFrame::accept, w.span())) return ec;
  if (refusal) {
    sockets_.erase(it);
    return {};
  }
  it->second.open = true;
  events_.emplace_back(relay_event::Established{socket, it->second.peer, it->second.port, 0});
  return {};
}

COURIER_DECL void RelayClient::on_incoming(RelaySocketId socket, std::span<const std::byte> bytes) {
  const VirtualAddress from{detail::get_le<std::uint32_t>(bytes.data() + 4)};
  const auto port = detail::get_le<std::uint16_t>(bytes.data() + 8);
  if (!listening(port)) {
    detail::RelayFrameWriter w;
    (void)send(detail::RelayFrame::refuse, w.u32(socket).u8(static_cast<std::uint8_t>(RelayFailure::port_not_listening)).span());
    return;
  }
  sockets_[socket] = Socket{from, port, false};
  events_.emplace_back(relay_event::ConnectionRequested{socket, from, port});
}

COURIER_DECL bool RelayClient::on_established(std::uint32_t request, std::span<const std::byte> bytes) {
  const auto it = connects_.find(request);
  if (it == connects_.end()) return false;  // the server answers only what was asked
  const RelaySocketId socket = detail::get_le<std::uint32_t>(bytes.data() + 4);
  const VirtualAddress peer{detail::get_le<std::uint32_t>(bytes.data() + 8)};
  sockets_[socket] = Socket{peer, it->second.port, true};
  events_.emplace_back(relay_event::Established{socket, peer, it->second.port, request});
  connects_.erase(it);
  return true;
}

COURIER_DECL bool RelayClient::on_failed(std::uint32_t request, std::span<const std::byte> bytes) {
  const auto it = connects_.find(request);
  if (it == connects_.end()) return false;
  events_.emplace_back(relay_event::Failed{request, it->second.address, it->second.port,
                                           static_cast<RelayFailure>(std::to_integer<std::uint8_t>(bytes[4]))});
  connects_.erase(it);
  return true;
}

}  // namespace courier
