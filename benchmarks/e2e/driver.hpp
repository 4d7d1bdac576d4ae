#pragma once
// The driver's helpers, shared by the loopback parts (main.cpp) and the kernel bottleneck part
// (bottleneck_driver.cpp): starting a role process (optionally inside a network namespace),
// reading its RESULT lines, and formatting figures for the Markdown table.

#include "common.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace bench {

inline std::string self_path() {
  char b[4096];
  const ssize_t n = ::readlink("/proc/self/exe", b, sizeof b - 1);
  if (n <= 0) std::abort();
  return std::string(b, static_cast<std::size_t>(n));
}

struct Proc {
  pid_t pid = -1;
  std::FILE* out = nullptr;
};

/// Starts this executable with `args`; inside network namespace `netns` when one is named
/// (through `ip netns exec`, which execs in place: the pid stays the role's, so SIGKILL ends it).
inline Proc spawn(const std::vector<std::string>& args, const std::string& netns = {}) {
  int fds[2];
  if (::pipe(fds) != 0) std::abort();
  const std::string exe = self_path();
  std::vector<std::string> line;
  if (!netns.empty()) line = {"ip", "netns", "exec", netns};
  line.push_back(exe);
  line.insert(line.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> argv;
    for (const auto& s : line) argv.push_back(const_cast<char*>(s.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  return Proc{pid, ::fdopen(fds[0], "r")};
}

inline std::string read_line(Proc& p) {
  char b[4096];
  if (p.out == nullptr || std::fgets(b, sizeof b, p.out) == nullptr) return {};
  std::string s(b);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

using Fields = std::map<std::string, double>;

inline void parse_result(const std::string& line, Fields& f) {
  if (line.rfind("RESULT", 0) != 0) return;
  std::istringstream in(line.substr(6));
  std::string kv;
  while (in >> kv) {
    const auto eq = kv.find('=');
    if (eq != std::string::npos) f[kv.substr(0, eq)] = std::strtod(kv.c_str() + eq + 1, nullptr);
  }
}

inline void drain(Proc& p, Fields& f) {
  char b[4096];
  while (p.out != nullptr && std::fgets(b, sizeof b, p.out) != nullptr) parse_result(b, f);
}

/// Waits for a process (ending it first when `kill_it`); what it printed is parsed into `f`.
inline void finish(Proc& p, bool kill_it, Fields& f) {
  if (kill_it) ::kill(p.pid, SIGKILL);
  drain(p, f);
  int st = 0;
  ::waitpid(p.pid, &st, 0);
  if (p.out != nullptr) std::fclose(p.out);
  p.out = nullptr;
}

inline std::string fmt(double v, const char* unit = "") {
  if (std::isnan(v)) return "—";
  char b[64];
  if (std::fabs(v) >= 1e6)
    std::snprintf(b, sizeof b, "%.2f M%s", v / 1e6, unit);
  else if (std::fabs(v) >= 1e4)
    std::snprintf(b, sizeof b, "%.1f k%s", v / 1e3, unit);
  else if (std::fabs(v) >= 100)
    std::snprintf(b, sizeof b, "%.0f%s", v, unit);
  else
    std::snprintf(b, sizeof b, "%.3g%s", v, unit);
  return b;
}
inline std::string ratio(double a, double b) {
  if (std::isnan(a) || std::isnan(b) || b == 0) return "—";
  char s[32];
  std::snprintf(s, sizeof s, "%.2f×", a / b);
  return s;
}
inline double get(const Fields& f, const char* k) {
  auto it = f.find(k);
  return it == f.end() ? NAN : it->second;
}

/// min / median / max of `v` (sorted here), as "a / b / c".
inline std::string spread(std::vector<double> v) {
  if (v.empty()) return "—";
  std::sort(v.begin(), v.end());
  return fmt(v.front()) + " / " + fmt(v[v.size() / 2]) + " / " + fmt(v.back());
}
inline double median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// A performance target and what was measured for it (every part of the driver uses it).
struct Target {
  std::string what;
  double value, goal;
  bool higher_is_better;
};

inline bool met(const Target& t) {
  return !std::isnan(t.value) && (t.higher_is_better ? t.value >= t.goal : t.value <= t.goal);
}

inline std::string targets_markdown(const std::vector<Target>& targets) {
  std::ostringstream m;
  m << "\n| target | measured | goal | |\n|---|---:|---:|---|\n";
  for (const auto& t : targets)
    m << "| " << t.what << " | " << fmt(t.value) << " | " << fmt(t.goal) << " | " << (met(t) ? "met" : "**not met**") << " |\n";
  return m.str();
}

/// Every run's fields and every target, as JSON.
inline void write_json(const std::string& path, bool smoke, const std::map<std::string, Fields>& raw, const std::vector<Target>& targets) {
  std::ofstream j(path);
  j << "{\n  \"smoke\": " << (smoke ? "true" : "false") << ",\n  \"runs\": {\n";
  bool first_run = true;
  for (const auto& [name, fields] : raw) {
    j << (first_run ? "" : ",\n") << "    \"" << name << "\": {";
    first_run = false;
    bool first_field = true;
    for (const auto& [k, v] : fields) {
      j << (first_field ? "" : ", ") << "\"" << k << "\": " << (std::isnan(v) ? std::string("null") : std::to_string(v));
      first_field = false;
    }
    j << "}";
  }
  j << "\n  },\n  \"targets\": [\n";
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& t = targets[i];
    j << "    {\"target\": \"" << t.what << "\", \"measured\": " << (std::isnan(t.value) ? std::string("null") : std::to_string(t.value))
      << ", \"goal\": " << t.goal << ", \"met\": " << (met(t) ? "true" : "false") << "}" << (i + 1 < targets.size() ? "," : "") << "\n";
  }
  j << "  ]\n}\n";
}

}  // namespace bench
