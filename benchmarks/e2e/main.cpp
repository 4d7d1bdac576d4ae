// courier_e2e: courier next to ENet and raw UDP on 127.0.0.1, client and server in separate
// processes. `courier_e2e run [--smoke] [--reps N] [--json F] [--md F] [--dat F]` is the driver: it runs
// every workload by starting this same executable as `server` and `client` processes
// (fork + exec), collects their RESULT lines, computes the ratios and the performance targets
// (docs/PERFORMANCE.md, "Targets"),
// and writes JSON, a Markdown table and a gnuplot data file. Parts 1-5 run every case N times
// (default 3), alternating contenders. `--smoke` uses tiny workloads, once
// (CI: proves every path runs; asserts nothing about speed). `--websocket-only` runs part 6
// alone (courier over WebSocket next to courier over UDP) and writes only its table;
// `--cipher-only` the same for part 8 (the packet cipher from libsodium and from OpenSSL).
//
// `--bottleneck SPEC` adds part 7, the kernel bottleneck (veth + tbf, scripts/bottleneck-net.sh
// makes SPEC); `--bottleneck-only` runs it alone (scripts/bottleneck.sh).
//
// Roles: courier_e2e server|client courier|courier-ws|enet|raw nc|ossl|aes|- <workload> key=value...

#include "common.hpp"
#include "bottleneck.hpp"
#include "bottleneck_driver.hpp"
#include "driver.hpp"
#include "loopback_parts.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <new>
#include <random>
#include <sstream>

#include <execinfo.h>

namespace bench {
std::uint64_t allocations = 0;
int trace_allocations = 0;  // > 0: print a backtrace for that many more allocations (stderr)
}

namespace {
void note_allocation() {
  ++bench::allocations;
  if (bench::trace_allocations > 0) {
    --bench::trace_allocations;
    void* frames[24];
    const int n = ::backtrace(frames, 24);
    ::backtrace_symbols_fd(frames, n, 2);
    ::write(2, "--\n", 3);
  }
}
}  // namespace

// g++ 12 flags free() on a pointer from a (replaced) operator new; the pair here is consistent.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// Counting allocator: every operator new of the process (the library's and the benchmark's).
void* operator new(std::size_t n) {
  note_allocation();
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  note_allocation();
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace bench {
namespace {
std::string key_hex;
}  // namespace

Fields run_case(const std::string& lib, const std::string& crypto, const std::string& workload,
                std::vector<std::string> server_args, std::vector<std::string> client_args, bool server_measures,
                long clients, long clients_per_proc) {
  Fields f;
  std::vector<std::string> sa{"server", lib, crypto, workload, "key=" + key_hex};
  sa.insert(sa.end(), server_args.begin(), server_args.end());
  Proc server = spawn(sa);
  const std::string first = read_line(server);
  if (first.rfind("PORT ", 0) != 0) {
    std::fprintf(stderr, "  %s %s %s: server did not start (%s)\n", lib.c_str(), crypto.c_str(), workload.c_str(), first.c_str());
    finish(server, true, f);
    f["failed_to_start"] = 1;
    return f;
  }
  const std::string port = first.substr(5);
  std::vector<Proc> procs;
  const long nprocs = clients_per_proc > 0 ? (clients + clients_per_proc - 1) / clients_per_proc : 1;
  for (long i = 0; i < nprocs; ++i) {
    std::vector<std::string> ca{"client", lib, crypto, workload, "key=" + key_hex, "port=" + port};
    ca.insert(ca.end(), client_args.begin(), client_args.end());
    if (clients_per_proc > 0) {
      ca.push_back("clients=" + std::to_string(std::min(clients_per_proc, clients - i * clients_per_proc)));
      ca.push_back("first_id=" + std::to_string(1 + i * clients_per_proc));
    }
    procs.push_back(spawn(ca));
  }
  // The measuring side ends on its own; the other is stopped, and what it printed before
  // (the sender's allocation count) is still read from its pipe.
  if (server_measures) {
    finish(server, false, f);
    for (auto& p : procs) finish(p, true, f);
  } else {
    finish(procs[0], false, f);
    for (std::size_t i = 1; i < procs.size(); ++i) finish(procs[i], true, f);
    finish(server, true, f);
  }
  return f;
}

}  // namespace bench

namespace {
using namespace bench;


/// 6. courier over WebSocket next to courier over UDP (Netcode102, same pack, same roles):
/// reliable-ordered messages/s with a window of 256 and the request round trip, `reps`
/// repetitions alternating UDP and WebSocket so that a noisy moment hits both. Returns the
/// Markdown table; every run's fields go into `raw`.
std::string websocket_rows(int reps, const std::string& count, const std::string& rtt_n,
                           std::map<std::string, Fields>& raw) {
  std::ostringstream m;
  m << "\n| courier Netcode102, WebSocket vs UDP (" << reps << " alternating runs) | UDP min / median / max | "
       "WebSocket (ws://) min / median / max | WebSocket ÷ UDP (medians) |\n|---|---:|---:|---:|\n";
#ifdef COURIER_E2E_WEBSOCKET
  std::fprintf(stderr, "courier_e2e: 6. WebSocket vs UDP\n");
  std::map<std::string, std::vector<double>> v;  // "<transport> <figure>" -> one value per run
  for (int r = 1; r <= reps; ++r) {
    for (const std::string lib : {"courier", "courier-ws"}) {
      const std::string run = "#" + std::to_string(r) + "/" + lib;
      Fields& o = raw["transport_ordered" + run];
      o = run_case(lib, "nc", "ordered", {"count=" + count, "queue=256"}, {"count=" + count, "queue=256"}, true);
      Fields& t = raw["transport_rtt" + run];
      t = run_case(lib, "nc", "rtt", {}, {"count=" + rtt_n}, false);
      v[lib + " ordered"].push_back(get(o, "msgs_per_s"));
      v[lib + " median"].push_back(get(t, "median_us"));
      v[lib + " p99"].push_back(get(t, "p99_us"));
    }
  }
  const auto line = [&](const char* name, const std::string& figure) {
    const auto& u = v["courier " + figure];
    const auto& w = v["courier-ws " + figure];
    m << "| " << name << " | " << spread(u) << " | " << spread(w) << " | " << ratio(median(w), median(u)) << " |\n";
  };
  line("reliable-ordered 100 B, window 256 (msg/s)", "ordered");
  line("request/response 100 B, median (µs)", "median");
  line("request/response 100 B, p99 (µs)", "p99");
#else
  (void)reps, (void)count, (void)rtt_n, (void)raw;
  m << "| built without courier::websocket (Boost.Beast, OpenSSL) | — | — | — |\n";
#endif
  return m.str();
}

/// Part 7 alone (scripts/bottleneck.sh): its tables and targets in the Markdown file and on
/// stdout, its runs in the JSON file, its chart data in `dat`.
int bottleneck_only(const BottleneckOptions& o, bool smoke, const std::string& md, const std::string& json, const std::string& dat) {
  std::map<std::string, Fields> raw;
  const BottleneckPart part = bottleneck_part(o, raw);
  const std::string text = part.markdown + (part.skipped.empty() ? targets_markdown(part.targets) : "");
  std::printf("%s", text.c_str());
  std::ofstream(md) << text;
  write_json(json, smoke, raw, part.targets);
  if (!part.dat.empty()) std::ofstream(dat) << part.dat;
  int missing = 0;
  for (const auto& t : part.targets) missing += std::isnan(t.value) ? 1 : 0;
  return missing > 0 ? 1 : 0;
}

int drive(int argc, char** argv) {
  bool smoke = false, websocket_only = false, bottleneck_alone = false, cipher_only = false;
  int main_reps = 3;  // parts 1-5: repetitions of every case
  std::string json = "bench-results.json", md = "bench-results.md", dat = "bench-results.dat";
  std::string bneck_dat = "bench-results-bottleneck.dat";
  BottleneckOptions bo;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--smoke") smoke = true;
    else if (a == "--websocket-only") websocket_only = true;
    else if (a == "--cipher-only") cipher_only = true;
    else if (a == "--reps" && i + 1 < argc) main_reps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--json" && i + 1 < argc) json = argv[++i];
    else if (a == "--md" && i + 1 < argc) md = argv[++i];
    else if (a == "--dat" && i + 1 < argc) dat = argv[++i];
    else if (a == "--bottleneck" && i + 1 < argc) bo.spec = argv[++i];
    else if (a == "--bottleneck-only") bottleneck_alone = true;
    else if (a == "--bottleneck-dat" && i + 1 < argc) bneck_dat = argv[++i];
    else if (a == "--bottleneck-reps" && i + 1 < argc) bo.reps = std::atoi(argv[++i]);
  }
  std::random_device rd;
  char hx[3];
  for (int i = 0; i < 32; ++i) {
    std::snprintf(hx, sizeof hx, "%02x", rd() & 0xff);
    key_hex += hx;
  }
  const std::string count = smoke ? "2000" : "200000";
  const std::string queued = smoke ? "2000" : "100000";
  const std::string ms = smoke ? "100" : "2000";
  const std::string rtt_n = smoke ? "200" : "20000";
  const long connects = smoke ? 20 : 1000;
  const long idle = smoke ? 32 : 4096;
  const long per_proc = smoke ? 16 : 1024;

  bo.key_hex = key_hex;
  if (smoke) bo.reps = 1, bo.warm = 1, bo.seconds = 2;
  if (bottleneck_alone) return bottleneck_only(bo, smoke, md, json, bneck_dat);

  if (websocket_only || cipher_only) {  // part 6 or 8 alone, its table on stdout and in the Markdown file
    std::map<std::string, Fields> raw;
    const std::string table = websocket_only ? websocket_rows(smoke ? 1 : 3, count, rtt_n, raw)
                                             : cipher_rows(smoke ? 1 : 3, count, ms, raw);
    std::printf("%s", table.c_str());
    std::ofstream(md) << table;
    write_json(json, smoke, raw, {});
    return 0;
  }

  MainRowsOptions mo;
  mo.reps = smoke ? 1 : main_reps;
  mo.count = count, mo.queued = queued, mo.ms = ms, mo.rtt_n = rtt_n;
  mo.connects = connects, mo.idle = idle, mo.per_proc = per_proc;
  std::map<std::string, Fields> raw_fields;
  MainRows main = main_rows(mo, raw_fields);
  const std::string transports = websocket_rows(smoke ? 1 : 3, count, rtt_n, raw_fields);
  const std::string ciphers = cipher_rows(smoke ? 1 : 3, count, ms, raw_fields);
  // 7. The kernel bottleneck, when scripts/bench.sh could make its namespaces (else its reason).
  BottleneckPart bneck;
  if (!bo.spec.empty()) bneck = bottleneck_part(bo, raw_fields);
  std::vector<Target> targets = main.targets;
  targets.insert(targets.end(), bneck.targets.begin(), bneck.targets.end());

  std::ostringstream m;
  if (smoke) m << "[smoke: tiny workloads; nothing here is a measurement]\n\n";
  m << main.markdown;
  m << transports << ciphers;
  m << bneck.markdown << targets_markdown(targets);
  std::ofstream(md) << m.str();
  std::fputs(m.str().c_str(), stdout);

  write_json(json, smoke, raw_fields, targets);
  if (!bneck.dat.empty()) std::ofstream(bneck_dat) << bneck.dat;

  std::ofstream(dat) << main.dat;
  // Smoke runs prove that every path produced its figure; nothing about speed.
  int missing = main.missing;
  for (const auto& [name, fields] : raw_fields) {  // the WebSocket vs UDP and the cipher runs
    const bool repeated = name.starts_with("transport_") || name.starts_with("cipher_");
    if (repeated && std::isnan(get(fields, name.starts_with("transport_rtt") ? "median_us" : "msgs_per_s"))) ++missing;
  }
  if (missing > 0) std::fprintf(stderr, "courier_e2e: %d courier figures missing\n", missing);
  return missing > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "run") return drive(argc, argv);
  if (argc < 5) {
    std::fprintf(stderr, "usage: courier_e2e run [--smoke] [--reps N] [--websocket-only | --cipher-only] [--json F] [--md F] [--dat F]\n"
                         "       [--bottleneck SPEC [--bottleneck-only] [--bottleneck-dat F] [--bottleneck-reps N]]\n"
                         "       courier_e2e server|client courier|enet|raw nc|ossl|aes|- WORKLOAD key=value...\n");
    return 64;
  }
  ::alarm(180);  // a stuck role never outlives the run
  rlimit r{};
  ::getrlimit(RLIMIT_NOFILE, &r);
  r.rlim_cur = r.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &r);
  Args a;
  for (int i = 5; i < argc; ++i) {
    const std::string s = argv[i];
    const auto eq = s.find('=');
    if (eq != std::string::npos) a.kv[s.substr(0, eq)] = s.substr(eq + 1);
  }
  const std::string role = argv[1], lib = argv[2], crypto = argv[3], workload = argv[4];
  if (workload == "bottleneck") return lib == "enet" ? bottleneck::enet_role(role, a) : bottleneck::courier_role(role, a);
  if (lib == "courier") return courier_role(role, crypto, workload, a);
#ifdef COURIER_E2E_WEBSOCKET
  if (lib == "courier-ws") return courier_ws_role(role, workload, a);
#endif
  if (lib == "enet") return enet_role(role, workload, a);
  return raw_role(role, workload, a);
}
