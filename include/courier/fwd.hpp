#pragma once
/// \file
/// Declarations of courier's main class templates with their default policies, for headers
/// that name them without needing their definitions (a game's own headers holding a
/// `courier::Client<Game>*`). Include the real header where the type is used.

#include <cstdint>

#include "courier/transport/transport.hpp"

namespace courier {

// The pack and its defaults (pack.hpp: Udp, Netcode102, BitPacked).
template <class Defaults, class... Items>
struct BasicChannelPack;

// The typed layer (typed/).
template <class Pack>
class Client;
template <class Pack>
class Server;
template <class Pack>
class HostClient;
template <class Pack, class Req>
class RequestToken;
struct ClientHandle;
struct Signal;
struct RequestSignal;
struct ClientConfig;
struct ServerConfig;

// The pieces around them.
class ConnectToken;
struct Key;
class Address;
template <class T>
class Result;

// Transports and crypto policies (transport/, crypto/).
class Udp;
class Loopback;
template <Transport Inner>
class Simulated;
struct Netcode102;
struct Aes256Gcm;
struct Plaintext;
struct BitPacked;
struct ByteAligned;

}  // namespace courier
