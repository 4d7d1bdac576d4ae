#pragma once
/// \file
/// The umbrella header: everything courier offers.

#include "courier/version.hpp"

#include "courier/core/clock.hpp"
#include "courier/core/drop_reason.hpp"
#include "courier/core/error.hpp"
#include "courier/core/manual_clock.hpp"
#include "courier/core/random.hpp"
#include "courier/core/steady_clock.hpp"
#include "courier/core/time.hpp"
#include "courier/core/type_list.hpp"

#include "courier/transport/address.hpp"
#include "courier/transport/datagram.hpp"
#include "courier/transport/transport.hpp"

#include "courier/schema/schema.hpp"

#include "courier/crypto/crypto.hpp"

#include "courier/channel/reliability_mode.hpp"
