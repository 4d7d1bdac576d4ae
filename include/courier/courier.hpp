#pragma once
/// \file
/// The umbrella header: everything courier offers.

#include "courier/client.hpp"
#include "courier/fwd.hpp"
#include "courier/server.hpp"
#include "courier/version.hpp"

#include "courier/core/clock.hpp"
#include "courier/core/drop_reason.hpp"
#include "courier/core/error.hpp"
#include "courier/core/hex.hpp"
#include "courier/core/match.hpp"
#include "courier/core/manual_clock.hpp"
#include "courier/core/random.hpp"
#include "courier/core/result.hpp"
#include "courier/core/steady_clock.hpp"
#include "courier/core/time.hpp"
#include "courier/core/type_list.hpp"

#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/loopback.hpp"
#include "courier/transport/receive_batches.hpp"
#include "courier/transport/simulated.hpp"
#include "courier/transport/transport.hpp"
#include "courier/transport/udp.hpp"

#include "courier/schema/bit_packed.hpp"
#include "courier/schema/bounded_string.hpp"
#include "courier/schema/bounded_vector.hpp"
#include "courier/schema/byte_aligned.hpp"
#include "courier/schema/quantized.hpp"
#include "courier/schema/ranged.hpp"
#include "courier/schema/schema.hpp"

#include "courier/crypto/aes256gcm.hpp"
#include "courier/crypto/crypto.hpp"
#include "courier/crypto/key.hpp"
#include "courier/crypto/netcode102.hpp"
#include "courier/crypto/plaintext.hpp"

#include "courier/netcode/netcode_client.hpp"
#include "courier/netcode/make_connect_token.hpp"
#include "courier/netcode/token.hpp"
#include "courier/netcode/netcode_server.hpp"

#include "courier/reliable/endpoint.hpp"

#include "courier/channel/connection.hpp"
#include "courier/channel/reliability_mode.hpp"

#include "courier/pack.hpp"
#include "courier/typed/client.hpp"
#include "courier/typed/host_client.hpp"
#include "courier/typed/make_connect_token.hpp"
#include "courier/typed/server.hpp"
