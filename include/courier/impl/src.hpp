#pragma once
/// \file
/// The definitions courier compiles once under COURIER_SEPARATE_COMPILATION (core/config.hpp).
/// Include this header in exactly one translation unit of a program whose every translation
/// unit defines COURIER_SEPARATE_COMPILATION; the CMake function `courier_add_compiled_library`
/// builds that translation unit as a static library.

#if !defined(COURIER_SEPARATE_COMPILATION)
#error "courier/impl/src.hpp: define COURIER_SEPARATE_COMPILATION for every translation unit of the program (or use courier_add_compiled_library in CMake)"
#endif

#include "courier/channel/impl/block_receiver.hpp"
#include "courier/channel/impl/block_sender.hpp"
#include "courier/channel/impl/channel_receiver.hpp"
#include "courier/channel/impl/connection.hpp"
#include "courier/channel/impl/packet_refs.hpp"
#include "courier/channel/impl/partial_messages.hpp"
#include "courier/channel/impl/reliable_sender.hpp"
#include "courier/channel/impl/status_table.hpp"
#include "courier/channel/impl/unreliable_sender.hpp"
#include "courier/core/impl/error.hpp"
#include "courier/netcode/impl/address_list.hpp"
#include "courier/netcode/impl/client_slots.hpp"
#include "courier/netcode/impl/encryption_manager.hpp"
#include "courier/netcode/impl/server_log.hpp"
#include "courier/netcode/impl/token_history.hpp"
#include "courier/netcode/make_connect_token.hpp"
#include "courier/netcode/netcode_client.hpp"
#include "courier/netcode/netcode_server.hpp"
#include "courier/relay/impl/in_memory_address_book.hpp"
#include "courier/relay/impl/relay_client.hpp"
#include "courier/relay/impl/relay_server.hpp"
#include "courier/reliable/impl/endpoint.hpp"
#include "courier/reliable/impl/rate_controller.hpp"
#include "courier/reliable/impl/reassembly.hpp"
#include "courier/transport/impl/udp.hpp"
#include "courier/typed/detail/client_link.hpp"
#include "courier/typed/impl/kick_list.hpp"
#include "courier/typed/impl/reconnector.hpp"

namespace courier::netcode {
template class NetcodeClient<Udp, Netcode102>;
template class NetcodeServer<Udp, Netcode102>;
template Result<ConnectToken> make_connect_token<Netcode102>(const ConnectTokenParams&) noexcept;
}  // namespace courier::netcode

namespace courier::detail {
template class ClientLink<Udp, Netcode102>;
}  // namespace courier::detail
