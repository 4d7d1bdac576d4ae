// Parts 1-5 of the loopback driver, the main table: courier (Netcode102, Aes256Gcm) next to
// ENet and raw UDP, every case run `reps` times; each repetition runs every contender of every
// row once, so a noisy moment of the machine falls on all of them alike. Cells show the median
// with min-max; ratios and targets use the medians.

#include "driver.hpp"
#include "loopback_parts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace bench {
namespace {

const char* const contenders[] = {"courier-nc", "courier-aes", "enet", "raw"};

/// One figure per contender (NaN where a contender has no such row).
struct Figure {
  double nc = NAN, aes = NAN, enet = NAN, raw = NAN;
  double& operator[](int i) { return i == 0 ? nc : i == 1 ? aes : i == 2 ? enet : raw; }
  double operator[](int i) const { return i == 0 ? nc : i == 1 ? aes : i == 2 ? enet : raw; }
};
struct Line {
  std::string name, unit;
  Figure lo, mid, hi;  // min, median, max over the repetitions
};

/// Every case of one repetition; run names end in "#<rep>".
void run_repetition(const MainRowsOptions& o, const std::string& tag, std::map<std::string, Fields>& raw) {
  const auto both = [&](const std::string& name, const std::string& w, std::vector<std::string> sa,
                        std::vector<std::string> ca, bool server_measures, long clients = 0, long per = 0) {
    raw[name + "/courier-nc" + tag] = run_case("courier", "nc", w, sa, ca, server_measures, clients, per);
    raw[name + "/courier-aes" + tag] = run_case("courier", "aes", w, sa, ca, server_measures, clients, per);
  };
  const std::string connects = std::to_string(o.connects), idle = std::to_string(o.idle);
  const std::string idle_enet = std::to_string(o.idle - 1);  // ENet: at most 4095 peers
  both("ordered_window", "ordered", {"count=" + o.count, "queue=256"}, {"count=" + o.count, "queue=256"}, true);
  raw["ordered_window/enet" + tag] = run_case("enet", "-", "ordered", {"count=" + o.count}, {"count=" + o.count, "window=256", "size=100"}, true);
  raw["ordered_window/raw" + tag] = run_case("raw", "-", "unreliable", {"ms=" + o.ms}, {"size=100"}, true);
  both("ordered_queued", "ordered", {"count=" + o.queued, "queue=16384"}, {"count=" + o.queued, "queue=16384"}, true);
  raw["ordered_queued/enet" + tag] = run_case("enet", "-", "ordered", {"count=" + o.queued}, {"count=" + o.queued, "window=0", "size=100"}, true);
  both("unreliable", "unreliable", {"ms=" + o.ms}, {}, true);
  raw["unreliable/enet" + tag] = run_case("enet", "-", "unreliable", {"ms=" + o.ms}, {"size=1200"}, true);
  raw["unreliable/raw" + tag] = run_case("raw", "-", "unreliable", {"ms=" + o.ms}, {"size=1200"}, true);
  both("rtt", "rtt", {}, {"count=" + o.rtt_n}, false);
  raw["rtt/enet" + tag] = run_case("enet", "-", "rtt", {}, {"count=" + o.rtt_n, "size=100"}, false);
  raw["rtt/raw" + tag] = run_case("raw", "-", "rtt", {}, {"count=" + o.rtt_n, "size=100"}, false);
  both("connect", "connect", {"clients=" + connects}, {}, false, o.connects, o.connects);
  raw["connect/enet" + tag] = run_case("enet", "-", "connect", {"clients=" + connects}, {}, false, o.connects, o.connects);
  raw["idle/courier-nc" + tag] = run_case("courier", "nc", "idle", {"clients=" + idle}, {}, true, o.idle, o.per_proc);
  raw["idle_small/courier-nc" + tag] = run_case("courier", "small", "idle", {"clients=" + idle}, {}, true, o.idle, o.per_proc);
  raw["idle/enet" + tag] = run_case("enet", "-", "idle", {"clients=" + idle_enet}, {}, true, o.idle - 1, o.per_proc);
}

std::string cell(const Line& l, int i, int reps) {
  if (reps == 1 || std::isnan(l.mid[i])) return fmt(l.mid[i]);
  return fmt(l.mid[i]) + " (" + fmt(l.lo[i]) + "–" + fmt(l.hi[i]) + ")";
}

}  // namespace

MainRows main_rows(const MainRowsOptions& o, std::map<std::string, Fields>& raw) {
  for (int r = 1; r <= o.reps; ++r) {
    std::fprintf(stderr, "courier_e2e: 1-5. main table, repetition %d of %d\n", r, o.reps);
    run_repetition(o, "#" + std::to_string(r), raw);
  }
  // min / median / max of one figure over the repetitions, for every contender
  const auto row = [&](const std::string& name, const std::string& unit, const std::string& w, const char* k,
                       bool with_raw = true) {
    Line l{name, unit, {}, {}, {}};
    for (int c = 0; c < 4; ++c) {
      if (c == 3 && !with_raw) continue;
      std::vector<double> v;
      for (int r = 1; r <= o.reps; ++r)
        if (const double x = get(raw[w + "/" + contenders[c] + "#" + std::to_string(r)], k); !std::isnan(x))
          v.push_back(unit == "ms" ? x * 1e3 : x);
      if (v.empty()) continue;
      std::sort(v.begin(), v.end());
      l.lo[c] = v.front(), l.mid[c] = v[v.size() / 2], l.hi[c] = v.back();
    }
    return l;
  };
  const std::string c = std::to_string(o.connects), n = std::to_string(o.idle);
  const std::vector<Line> lines{
      row("reliable-ordered 100 B, window 256 (msg/s; raw UDP: 100 B datagrams/s)", "msg/s", "ordered_window", "msgs_per_s"),
      row("reliable-ordered 100 B, 100 000 queued (msg/s)", "msg/s", "ordered_queued", "msgs_per_s", false),
      row("unreliable 1200 B (msg/s; courier 1024 B)", "msg/s", "unreliable", "msgs_per_s"),
      row("request/response 100 B, median (µs)", "µs", "rtt", "median_us"),
      row("request/response 100 B, p99 (µs)", "µs", "rtt", "p99_us"),
      row(c + " simultaneous connects (handshakes/s)", "/s", "connect", "handshakes_per_s", false),
      row(c + " simultaneous connects, all connected (ms)", "ms", "connect", "seconds", false),
      row("resident memory per idle client, " + n + " clients (KiB, server process; benchmark pack)", "KiB", "idle", "kib_per_client", false),
      row("resident memory per idle client, " + n + " clients (KiB, server process; small pack)", "KiB", "idle_small", "kib_per_client", false),
      row("idle clients connected of " + n + " (ENet: of " + std::to_string(o.idle - 1) + ") when memory was measured", "", "idle", "connected", false),
      row("heap allocations per message, sender (ordered, after warm-up)", "", "ordered_window", "send_allocs_per_msg", false),
      row("heap allocations per message, receiver (ordered, after warm-up)", "", "ordered_window", "recv_allocs_per_msg", false),
  };

  MainRows out;
  // issue 17's targets (docs/PERFORMANCE.md, "Performance, round two"), on the medians
  const Figure ow = lines[0].mid, oq = lines[1].mid, un = lines[2].mid, med = lines[3].mid, p99 = lines[4].mid;
  out.targets = {
      {"reliable-ordered 100 B Netcode102 ≥ 1.5× ENet (window 256)", ow.nc / ow.enet, 1.5, true},
      {"100 000 queued ≥ 0.8× courier's windowed rate (Netcode102)", oq.nc / ow.nc, 0.8, true},
      {"unreliable Netcode102 ≥ 0.8× raw UDP datagrams/s", un.nc / un.raw, 0.8, true},
      {"RTT median ≤ 1.1× raw UDP (Netcode102)", med.nc / med.raw, 1.1, false},
      {"RTT p99 ≤ 1.2× raw UDP (Netcode102)", p99.nc / p99.raw, 1.2, false},
      {"≥ 40 000 handshakes/s (Netcode102)", lines[5].mid.nc, 40000, true},
      {c + " simultaneous connects within 50 ms (Netcode102)", lines[6].mid.nc, 50, false},
      {"no connect lost (Netcode102, worst repetition)", static_cast<double>(o.connects) - least_connected(raw, o.reps), 0, false},
      {"≤ 4 KiB resident per idle client (benchmark pack)", lines[7].mid.nc, 4, false},
      {"≤ 4 KiB resident per idle client (small pack)", lines[8].mid.nc, 4, false},
      {"zero allocations per message after warm-up (sender + receiver, worst repetition)", lines[10].hi.nc + lines[11].hi.nc, 0, false},
  };

  std::ostringstream m;
  m << "| workload (" << o.reps << (o.reps == 1 ? " run" : " alternating runs: median (min–max)")
    << ") | courier Netcode102 | courier Aes256Gcm | ENet (no encryption) | raw UDP | courier ÷ ENet (Netcode102 / AES) "
       "| courier ÷ raw UDP (Netcode102 / AES) |\n|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& l : lines) {
    m << "| " << l.name << " | " << cell(l, 0, o.reps) << " | " << cell(l, 1, o.reps) << " | " << cell(l, 2, o.reps)
      << " | " << cell(l, 3, o.reps) << " | " << ratio(l.mid.nc, l.mid.enet) << " / " << ratio(l.mid.aes, l.mid.enet)
      << " | " << ratio(l.mid.nc, l.mid.raw) << " / " << ratio(l.mid.aes, l.mid.raw) << " |\n";
  }
  out.markdown = m.str();

  // gnuplot data: throughput workloads, one column per contender (NaN prints as "?"), medians
  std::ostringstream d;
  d << "# workload courier-Netcode102 courier-Aes256Gcm ENet raw-UDP (medians of " << o.reps << ")\n";
  const char* short_names[] = {"ordered,window", "ordered,100k queued", "unreliable 1200B", "", "", "handshakes"};
  for (int i : {0, 1, 2, 5}) {
    const Figure& f = lines[static_cast<std::size_t>(i)].mid;
    const auto v = [](double x) { return std::isnan(x) ? std::string("?") : std::to_string(x); };
    d << "\"" << short_names[i] << "\" " << v(f.nc) << " " << v(f.aes) << " " << v(f.enet) << " " << v(f.raw) << "\n";
  }
  out.dat = d.str();
  for (const auto& l : lines)
    if (std::isnan(l.mid.nc)) ++out.missing;
  return out;
}

double least_connected(std::map<std::string, Fields>& raw, int reps) {
  double least = NAN;
  for (int r = 1; r <= reps; ++r) {
    const double x = get(raw["connect/courier-nc#" + std::to_string(r)], "connected");
    if (std::isnan(least) || std::isnan(x) || x < least) least = x;
  }
  return least;
}

}  // namespace bench
