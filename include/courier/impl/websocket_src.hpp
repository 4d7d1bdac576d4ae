#pragma once
/// \file
/// The WebSocket transports' definitions (and with them Boost.Beast), compiled once under
/// COURIER_SEPARATE_COMPILATION (core/config.hpp), beside courier/impl/src.hpp. Include it in
/// exactly one translation unit of a program that uses WebSocketServer or WebSocketClient in
/// separate-compilation mode; the CMake function `courier_add_compiled_library(<name> WEBSOCKET)`
/// builds both as one static library.

#if !defined(COURIER_SEPARATE_COMPILATION)
#error "courier/impl/websocket_src.hpp: define COURIER_SEPARATE_COMPILATION for every translation unit of the program (or use courier_add_compiled_library(<name> WEBSOCKET) in CMake)"
#endif

#include "courier/transport/websocket/impl/websocket_client.hpp"
#include "courier/transport/websocket/impl/websocket_server.hpp"
