// Part 7 of courier_e2e: the kernel bottleneck (issue 16). scripts/bottleneck-net.sh creates
// two network namespaces joined by a veth pair with a tbf qdisc on the client's egress; this
// runs courier and ENet in turn (server in one namespace, client in the other, through
// `ip netns exec`) and turns what the servers measured into rows, targets and chart data.

#include "bottleneck_driver.hpp"

#include "driver.hpp"

#include <sys/stat.h>

#include <cstdio>

namespace bench {
namespace {

struct Net {
  std::string server_ns, client_ns, server_ip;
  long rate_bits = 0;
};

/// "SERVER_NS,CLIENT_NS,SERVER_IP,RATE_BITS" (what scripts/bottleneck-net.sh prints).
bool parse(const std::string& spec, Net& n) {
  std::vector<std::string> parts;
  std::stringstream in(spec);
  for (std::string p; std::getline(in, p, ',');) parts.push_back(p);
  if (parts.size() != 4) return false;
  n = Net{parts[0], parts[1], parts[2], std::strtol(parts[3].c_str(), nullptr, 10)};
  return n.rate_bits > 0;
}

bool netns_exists(const std::string& name) {
  struct stat st {};
  return ::stat(("/run/netns/" + name).c_str(), &st) == 0;
}

/// One run of `lib`: the server measures and ends; the client is stopped, and its last
/// RESULT line (the sender's counters) is kept.
Fields run_one(const std::string& lib, const Net& net, const BottleneckOptions& o) {
  Fields f;
  const std::string key = "key=" + o.key_hex, host = "host=" + net.server_ip;
  Proc server = spawn({"server", lib, "-", "bottleneck", key, host, "seconds=" + std::to_string(o.seconds),
                       "warm=" + std::to_string(o.warm), "rate_bits=" + std::to_string(net.rate_bits)},
                      net.server_ns);
  const std::string first = read_line(server);
  if (first.rfind("PORT ", 0) != 0) {
    std::fprintf(stderr, "  bottleneck %s: server did not start (%s)\n", lib.c_str(), first.c_str());
    finish(server, true, f);
    return f;
  }
  Proc client = spawn({"client", lib, "-", "bottleneck", key, host, "port=" + first.substr(5)}, net.client_ns);
  finish(server, false, f);
  finish(client, true, f);
  return f;
}

struct Series {
  std::map<std::string, std::vector<double>> v;  // "<lib> <field>" -> one value per run
  void add(const std::string& lib, const Fields& f, const char* key, double scale = 1) {
    v[lib + " " + key].push_back(get(f, key) * scale);
  }
  [[nodiscard]] const std::vector<double>& of(const std::string& lib, const std::string& key) { return v[lib + " " + key]; }
};

void collect(Series& s, const std::string& lib, const Fields& f) {
  s.add(lib, f, "goodput_fraction");
  s.add(lib, f, "rt_median_ms");
  s.add(lib, f, "rt_p99_ms");
  s.add(lib, f, "rt_loss", 100);
  for (const char* k : {"snd_bw_est_bits", "snd_pacing_bits"}) s.add(lib, f, k, 1e-6);
  for (const char* k : {"snd_inflight_bytes", "snd_rtt_ms", "snd_congestive_losses", "snd_link_losses", "snd_packets_lost",
                        "snd_throttle"})
    s.add(lib, f, k);
}

std::string main_table(Series& s, const Net& net, int reps) {
  std::ostringstream m;
  m << "\n| kernel bottleneck: tbf " << fmt(static_cast<double>(net.rate_bits) / 1e6) << " Mbit/s, bulk reliable 1000 B + "
    << "60 Hz real-time 100 B (" << reps << " alternating runs) | courier min / median / max | ENet min / median / max | "
       "courier ÷ ENet (medians) |\n|---|---:|---:|---:|\n";
  const auto line = [&](const char* name, const char* key) {
    const auto& c = s.of("courier", key);
    const auto& e = s.of("enet", key);
    m << "| " << name << " | " << spread(c) << " | " << spread(e) << " | " << ratio(median(c), median(e)) << " |\n";
  };
  line("bulk goodput, fraction of the tbf rate", "goodput_fraction");
  line("real-time one-way latency, median (ms)", "rt_median_ms");
  line("real-time one-way latency, p99 (ms)", "rt_p99_ms");
  line("real-time loss (%)", "rt_loss");
  return m.str();
}

std::string sender_table(Series& s) {
  std::ostringstream m;
  m << "\n| sender's own view (mean over the run after 3 s, or at its end) | min / median / max |\n|---|---:|\n";
  const auto line = [&](const char* name, const char* lib, const char* key) {
    m << "| " << name << " | " << spread(s.of(lib, key)) << " |\n";
  };
  line("courier: estimated bottleneck rate (Mbit/s of courier packets)", "courier", "snd_bw_est_bits");
  line("courier: pacing rate (Mbit/s)", "courier", "snd_pacing_bits");
  line("courier: bytes in flight", "courier", "snd_inflight_bytes");
  line("courier: smoothed RTT at the end (ms)", "courier", "snd_rtt_ms");
  line("courier: congestive losses", "courier", "snd_congestive_losses");
  line("courier: link losses", "courier", "snd_link_losses");
  line("ENet: packets lost (its count)", "enet", "snd_packets_lost");
  line("ENet: packet throttle at the end (1 = no throttling)", "enet", "snd_throttle");
  line("ENet: RTT at the end (ms)", "enet", "snd_rtt_ms");
  return m.str();
}

/// gnuplot data: per figure the median, min and max of courier, then of ENet.
std::string chart_data(Series& s) {
  std::ostringstream d;
  d << "# figure courier-median courier-min courier-max enet-median enet-min enet-max\n";
  const auto row = [&](const char* name, const char* key) {
    d << "\"" << name << "\"";
    for (const char* lib : {"courier", "enet"}) {
      auto v = s.of(lib, key);
      std::sort(v.begin(), v.end());
      d << " " << median(v) << " " << v.front() << " " << v.back();
    }
    d << "\n";
  };
  row("goodput (fraction)", "goodput_fraction");
  row("rt median (ms)", "rt_median_ms");
  row("rt p99 (ms)", "rt_p99_ms");
  row("rt loss (%)", "rt_loss");
  return d.str();
}

}  // namespace

BottleneckPart bottleneck_part(const BottleneckOptions& o, std::map<std::string, Fields>& raw) {
  BottleneckPart part;
  Net net;
  if (o.spec.rfind("skip:", 0) == 0) part.skipped = o.spec.substr(5);
  else if (!parse(o.spec, net)) part.skipped = "bad --bottleneck value '" + o.spec + "' (SERVER_NS,CLIENT_NS,SERVER_IP,RATE_BITS)";
  else if (!netns_exists(net.server_ns) || !netns_exists(net.client_ns)) part.skipped = "network namespace " + net.server_ns + " or " + net.client_ns + " does not exist";
  if (!part.skipped.empty()) {
    std::fprintf(stderr, "courier_e2e: 7. kernel bottleneck skipped: %s\n", part.skipped.c_str());
    part.markdown = "\n7. kernel bottleneck: skipped: " + part.skipped + "\n";
    return part;
  }
  std::fprintf(stderr, "courier_e2e: 7. kernel bottleneck (%d runs of %d + %d s each)\n", o.reps * 2, o.warm, o.seconds);
  Series s;
  for (int r = 1; r <= o.reps; ++r) {
    for (const std::string lib : {"courier", "enet"}) {  // alternating: a noisy moment hits both
      Fields& f = raw["bottleneck#" + std::to_string(r) + "/" + lib];
      f = run_one(lib, net, o);
      collect(s, lib, f);
      std::fprintf(stderr, "  %s #%d: goodput %.3f, rt median %.2f ms, p99 %.2f ms, loss %.2f %%\n", lib.c_str(), r,
                   get(f, "goodput_fraction"), get(f, "rt_median_ms"), get(f, "rt_p99_ms"), get(f, "rt_loss") * 100);
    }
  }
  part.markdown = main_table(s, net, o.reps) + sender_table(s);
  part.dat = chart_data(s);
  const double p99 = median(s.of("courier", "rt_p99_ms")) / median(s.of("enet", "rt_p99_ms"));
  part.targets = {{"kernel bottleneck: courier goodput ≥ 0.9 of the tbf rate (median of runs)", median(s.of("courier", "goodput_fraction")), 0.9, true},
                  {"kernel bottleneck: courier real-time p99 below ENet's (courier ÷ ENet, medians)", p99, 1.0, false}};
  return part;
}

}  // namespace bench
