#pragma once
// Part 7 of courier_e2e, the kernel bottleneck (bottleneck_driver.cpp).

#include "driver.hpp"

#include <map>
#include <string>
#include <vector>

namespace bench {

struct BottleneckOptions {
  /// "SERVER_NS,CLIENT_NS,SERVER_IP,RATE_BITS" from scripts/bottleneck-net.sh, or
  /// "skip:REASON" when the script could not create the namespaces.
  std::string spec;
  std::string key_hex;
  int reps = 3;
  int warm = 3;      // seconds of start-up not measured
  int seconds = 20;  // seconds measured
};

struct BottleneckPart {
  std::string skipped;   // why the part did not run; empty when it ran
  std::string markdown;  // its tables (or the "skipped: ..." line)
  std::string dat;       // gnuplot data; empty when skipped
  std::vector<Target> targets;
};

BottleneckPart bottleneck_part(const BottleneckOptions& o, std::map<std::string, Fields>& raw);

}  // namespace bench
