#pragma once
// The loopback driver's building blocks that live outside main.cpp: running one case (server
// and client processes of this executable), parts 1-5, the main table (main_rows.cpp), and
// part 8, the packet cipher from libsodium and from OpenSSL (cipher_rows.cpp).

#include "common.hpp"
#include "driver.hpp"

#include <map>
#include <string>
#include <vector>

namespace bench {

/// Runs one case: `lib` (courier, courier-ws, enet, raw) with `crypto` (nc, ossl, aes, small
/// or -), the server first, then the clients; `clients_per_proc` > 0 splits `clients` over
/// several client processes. The measuring side ends on its own, the other is stopped.
Fields run_case(const std::string& lib, const std::string& crypto, const std::string& workload,
                std::vector<std::string> server_args, std::vector<std::string> client_args, bool server_measures,
                long clients = 0, long clients_per_proc = 0);

/// Sizes of parts 1-5 and how often each case runs.
struct MainRowsOptions {
  int reps = 3;
  std::string count, queued, ms, rtt_n;  // ordered messages, queued messages, flood ms, round trips
  long connects = 1000, idle = 4096, per_proc = 1024;
};
/// Parts 1-5: the table (Markdown), the targets it decides, the chart data, and how many of
/// courier's Netcode102 figures are missing.
struct MainRows {
  std::string markdown, dat;
  std::vector<Target> targets;
  int missing = 0;
};
/// 1-5. courier next to ENet and raw UDP: every case `o.reps` times, each repetition running
/// every contender once (alternating); every run's fields go into `raw` as "<row>/<who>#<rep>".
MainRows main_rows(const MainRowsOptions& o, std::map<std::string, Fields>& raw);
/// The fewest clients courier (Netcode102) connected in any repetition of the connect row.
double least_connected(std::map<std::string, Fields>& raw, int reps);

/// 8. The netcode 1.02 packet cipher from libsodium (Netcode102) and from OpenSSL
/// (Netcode102OpenSsl), same pack and roles otherwise: the unreliable flood and the windowed
/// reliable row, with raw UDP datagrams/s beside them, `reps` alternating repetitions. Returns
/// the Markdown table; every run's fields go into `raw`.
std::string cipher_rows(int reps, const std::string& count, const std::string& ms, std::map<std::string, Fields>& raw);

}  // namespace bench
