// courier_e2e: courier next to ENet and raw UDP on 127.0.0.1, client and server in separate
// processes. `courier_e2e run [--smoke] [--json F] [--md F] [--dat F]` is the driver: it runs
// every workload by starting this same executable as `server` and `client` processes
// (fork + exec), collects their RESULT lines, computes the ratios and the performance targets
// (docs/PERFORMANCE.md, "Targets"),
// and writes JSON, a Markdown table and a gnuplot data file. `--smoke` uses tiny workloads
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

struct Figure {
  double nc = NAN, aes = NAN, enet = NAN, raw = NAN;
};


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
  std::string json = "bench-results.json", md = "bench-results.md", dat = "bench-results.dat";
  std::string bneck_dat = "bench-results-bottleneck.dat";
  BottleneckOptions bo;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--smoke") smoke = true;
    else if (a == "--websocket-only") websocket_only = true;
    else if (a == "--cipher-only") cipher_only = true;
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
  const long idle = smoke ? 32 : 4096, idle_enet = smoke ? 32 : 4095;  // ENet: at most 4095 peers
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

  auto log = [](const char* what) { std::fprintf(stderr, "courier_e2e: %s\n", what), std::fflush(stderr); };
  std::map<std::string, Figure> fig;
  std::map<std::string, Fields> raw_fields;
  const auto both = [&](const char* name, const std::string& w, std::vector<std::string> sa, std::vector<std::string> ca,
                        bool server_measures, long clients = 0, long per = 0) {
    raw_fields[std::string(name) + "/courier-nc"] = run_case("courier", "nc", w, sa, ca, server_measures, clients, per);
    raw_fields[std::string(name) + "/courier-aes"] = run_case("courier", "aes", w, sa, ca, server_measures, clients, per);
  };

  log("1. reliable-ordered 100 B, window 256");
  both("ordered_window", "ordered", {"count=" + count, "queue=256"}, {"count=" + count, "queue=256"}, true);
  raw_fields["ordered_window/enet"] = run_case("enet", "-", "ordered", {"count=" + count}, {"count=" + count, "window=256", "size=100"}, true);
  raw_fields["ordered_window/raw"] = run_case("raw", "-", "unreliable", {"ms=" + ms}, {"size=100"}, true);
  log("1. reliable-ordered 100 B, 100 000 queued");
  both("ordered_queued", "ordered", {"count=" + queued, "queue=16384"}, {"count=" + queued, "queue=16384"}, true);
  raw_fields["ordered_queued/enet"] = run_case("enet", "-", "ordered", {"count=" + queued}, {"count=" + queued, "window=0", "size=100"}, true);
  log("2. unreliable 1200 B (courier: 1024 B, its largest unreliable message)");
  both("unreliable", "unreliable", {"ms=" + ms}, {}, true);
  raw_fields["unreliable/enet"] = run_case("enet", "-", "unreliable", {"ms=" + ms}, {"size=1200"}, true);
  raw_fields["unreliable/raw"] = run_case("raw", "-", "unreliable", {"ms=" + ms}, {"size=1200"}, true);
  log("3. request/response 100 B round trip");
  both("rtt", "rtt", {}, {"count=" + rtt_n}, false);
  raw_fields["rtt/enet"] = run_case("enet", "-", "rtt", {}, {"count=" + rtt_n, "size=100"}, false);
  raw_fields["rtt/raw"] = run_case("raw", "-", "rtt", {}, {"count=" + rtt_n, "size=100"}, false);
  log("4. simultaneous connects");
  both("connect", "connect", {"clients=" + std::to_string(connects)}, {}, false, connects, connects);
  raw_fields["connect/enet"] = run_case("enet", "-", "connect", {"clients=" + std::to_string(connects)}, {}, false, connects, connects);
  log("5. resident memory per idle client");
  raw_fields["idle/courier-nc"] = run_case("courier", "nc", "idle", {"clients=" + std::to_string(idle)}, {}, true, idle, per_proc);
  raw_fields["idle_small/courier-nc"] = run_case("courier", "small", "idle", {"clients=" + std::to_string(idle)}, {}, true, idle, per_proc);
  raw_fields["idle/enet"] = run_case("enet", "-", "idle", {"clients=" + std::to_string(idle_enet)}, {}, true, idle_enet, per_proc);
  const std::string transports = websocket_rows(smoke ? 1 : 3, count, rtt_n, raw_fields);
  const std::string ciphers = cipher_rows(smoke ? 1 : 3, count, ms, raw_fields);
  // 7. The kernel bottleneck, when scripts/bench.sh could make its namespaces (else its reason).
  BottleneckPart bneck;
  if (!bo.spec.empty()) bneck = bottleneck_part(bo, raw_fields);

  const auto row = [&](const std::string& w, const char* k, bool with_raw = true, const char* raw_w = nullptr) {
    Figure f;
    f.nc = get(raw_fields[w + "/courier-nc"], k);
    f.aes = get(raw_fields[w + "/courier-aes"], k);
    f.enet = get(raw_fields[w + "/enet"], k);
    if (with_raw) f.raw = get(raw_fields[(raw_w != nullptr ? std::string(raw_w) : w) + "/raw"], k);
    return f;
  };
  struct Line {
    std::string name, unit;
    Figure f;
  };
  std::vector<Line> lines{
      {"reliable-ordered 100 B, window 256 (msg/s; raw UDP: 100 B datagrams/s)", "msg/s", row("ordered_window", "msgs_per_s")},
      {"reliable-ordered 100 B, 100 000 queued (msg/s)", "msg/s", row("ordered_queued", "msgs_per_s", false)},
      {"unreliable 1200 B (msg/s; courier 1024 B)", "msg/s", row("unreliable", "msgs_per_s")},
      {"request/response 100 B, median (µs)", "µs", row("rtt", "median_us")},
      {"request/response 100 B, p99 (µs)", "µs", row("rtt", "p99_us")},
      {"1 000 simultaneous connects (handshakes/s)", "/s", row("connect", "handshakes_per_s", false)},
      {"1 000 simultaneous connects, all connected (ms)", "ms", row("connect", "seconds", false)},
      {"resident memory per idle client, 4 096 clients (KiB, server process; benchmark pack)", "KiB", row("idle", "kib_per_client", false)},
      {"resident memory per idle client, 4 096 clients (KiB, server process; small pack)", "KiB", row("idle_small", "kib_per_client", false)},
      {"idle clients connected of 4 096 (ENet: of 4 095) when memory was measured", "", row("idle", "connected", false)},
      {"heap allocations per message, sender (ordered, after warm-up)", "", row("ordered_window", "send_allocs_per_msg", false)},
      {"heap allocations per message, receiver (ordered, after warm-up)", "", row("ordered_window", "recv_allocs_per_msg", false)},
  };
  for (auto& l : lines)
    if (l.unit == "ms") l.f.nc *= 1e3, l.f.aes *= 1e3, l.f.enet *= 1e3;
  if (smoke) lines[0].name += " [smoke]";

  // The performance targets (docs/PERFORMANCE.md, "Targets"), from the figures above.
  const auto& ow = lines[0].f;
  const auto& oq = lines[1].f;
  const auto& un = lines[2].f;
  const auto& med = lines[3].f;
  const auto& p99 = lines[4].f;
  const double connected_nc = get(raw_fields["connect/courier-nc"], "connected");
  std::vector<Target> targets{
      {"reliable-ordered 100 B Netcode102 ≥ 1.0× ENet (window)", ow.nc / ow.enet, 1.0, true},
      {"reliable-ordered 100 B Aes256Gcm ≥ 1.0× ENet (window)", ow.aes / ow.enet, 1.0, true},
      {"100 000 queued ≥ 0.8× courier's windowed rate (Netcode102)", oq.nc / ow.nc, 0.8, true},
      {"unreliable Netcode102 ≥ 0.5× raw UDP datagrams/s", un.nc / un.raw, 0.5, true},
      {"unreliable Aes256Gcm ≥ 0.6× raw UDP datagrams/s", un.aes / un.raw, 0.6, true},
      {"RTT median ≤ 1.4× raw UDP (Netcode102)", med.nc / med.raw, 1.4, false},
      {"RTT p99 ≤ 1.6× raw UDP (Netcode102)", p99.nc / p99.raw, 1.6, false},
      {"≥ 20 000 handshakes/s (Netcode102)", lines[5].f.nc, 20000, true},
      {"1 000 simultaneous connects within 200 ms (Netcode102)", lines[6].f.nc, 200, false},
      {"no connect lost (Netcode102)", static_cast<double>(connects) - connected_nc, 0, false},
      {"≤ 64 KiB resident per idle client (benchmark pack, 1 KiB unreliable channel)", lines[7].f.nc, 64, false},
      {"≤ 64 KiB resident per idle client (small pack: one 100 B channel + a request)", lines[8].f.nc, 64, false},
      {"zero allocations per message after warm-up (sender + receiver)", lines[10].f.nc + lines[11].f.nc, 0, false},
  };
  targets.insert(targets.end(), bneck.targets.begin(), bneck.targets.end());

  std::ostringstream m;
  m << "| workload | courier Netcode102 | courier Aes256Gcm | ENet (no encryption) | raw UDP | courier ÷ ENet (Netcode102 / AES) | courier ÷ raw UDP (Netcode102 / AES) |\n";
  m << "|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& l : lines) {
    m << "| " << l.name << " | " << fmt(l.f.nc) << " | " << fmt(l.f.aes) << " | " << fmt(l.f.enet) << " | " << fmt(l.f.raw)
      << " | " << ratio(l.f.nc, l.f.enet) << " / " << ratio(l.f.aes, l.f.enet) << " | " << ratio(l.f.nc, l.f.raw) << " / "
      << ratio(l.f.aes, l.f.raw) << " |\n";
  }
  m << transports << ciphers;
  m << bneck.markdown << targets_markdown(targets);
  std::ofstream(md) << m.str();
  std::fputs(m.str().c_str(), stdout);

  write_json(json, smoke, raw_fields, targets);
  if (!bneck.dat.empty()) std::ofstream(bneck_dat) << bneck.dat;

  // gnuplot data: throughput workloads, one column per contender (NaN prints as "?").
  std::ofstream d(dat);
  d << "# workload courier-Netcode102 courier-Aes256Gcm ENet raw-UDP\n";
  const char* short_names[] = {"ordered,window", "ordered,100k queued", "unreliable 1200B", "", "", "handshakes"};
  for (int i : {0, 1, 2, 5}) {
    const auto& f = lines[static_cast<std::size_t>(i)].f;
    const auto v = [](double x) { return std::isnan(x) ? std::string("?") : std::to_string(x); };
    d << "\"" << short_names[i] << "\" " << v(f.nc) << " " << v(f.aes) << " " << v(f.enet) << " " << v(f.raw) << "\n";
  }
  // Smoke runs prove that every path produced its figure; nothing about speed.
  int missing = 0;
  for (const auto& l : lines)
    if (std::isnan(l.f.nc)) ++missing;
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
    std::fprintf(stderr, "usage: courier_e2e run [--smoke] [--websocket-only | --cipher-only] [--json F] [--md F] [--dat F]\n"
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
