#pragma once
/// \file
/// What a game server needs: the pack declaration, the UDP transport, the typed Server, host
/// mode, token making and courier::match. courier/courier.hpp adds the simulators and the
/// netcode layer's raw tools.

#include "courier/core/match.hpp"
#include "courier/core/steady_clock.hpp"
#include "courier/pack.hpp"
#include "courier/schema/bounded_string.hpp"
#include "courier/schema/bounded_vector.hpp"
#include "courier/transport/udp.hpp"
#include "courier/typed/host_client.hpp"
#include "courier/typed/make_connect_token.hpp"
#include "courier/typed/server.hpp"
