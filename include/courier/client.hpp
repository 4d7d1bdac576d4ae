#pragma once
/// \file
/// What a game client needs and no more: the pack declaration, the UDP transport, the typed
/// Client and courier::match. Lighter to compile than courier/courier.hpp, which also brings in
/// the server, host mode, the simulators and the netcode layer's raw tools.

#include "courier/core/match.hpp"
#include "courier/core/steady_clock.hpp"
#include "courier/pack.hpp"
#include "courier/schema/bounded_string.hpp"
#include "courier/schema/bounded_vector.hpp"
#include "courier/transport/udp.hpp"
#include "courier/typed/client.hpp"
