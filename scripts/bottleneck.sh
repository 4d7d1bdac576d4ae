#!/usr/bin/env bash
# courier_e2e part 7 alone: courier and ENet through a kernel bottleneck (two network
# namespaces, a veth pair, tbf on the client's egress; scripts/bottleneck-net.sh), 3 alternating
# runs each of 3 s start-up + 20 s measured. Sets the namespaces up and always tears them down.
# Writes $OUT/bottleneck.{md,json,dat} and $OUT/bottleneck.png (gnuplot, when installed).
# Where namespaces cannot be created (not root, no iproute2) it prints "skipped: ..." and exits
# with $BOTTLENECK_SKIP_CODE (0; the ctest smoke sets 77, its SKIP_RETURN_CODE).
# Usage: bash scripts/bottleneck.sh [--smoke]   (COURIER_E2E: the executable, default Release build)
#        bash scripts/bottleneck.sh chart DAT PNG TITLE   (the chart alone; bench.sh uses it)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

chart() {  # DAT PNG TITLE: goodput on the left, real-time latency and loss on the right
  command -v gnuplot >/dev/null || { echo "gnuplot not found: no chart"; return 0; }
  gnuplot <<GP
set terminal pngcairo size 1000,460 noenhanced font "sans,10"
set output "$2"
set multiplot layout 1,2 title "$3"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.85 border -1
set grid ytics
set key top left
set yrange [0:*]
set title "bulk goodput (fraction of the tbf rate; bars: min..max)"
plot "$1" every ::0::0 using 2:3:4:xtic(1) title "courier", "" every ::0::0 using 5:6:7 title "ENet"
set title "real-time 100 B at 60 Hz (ms; loss in %)"
plot "$1" every ::1::3 using 2:3:4:xtic(1) title "courier", "" every ::1::3 using 5:6:7 title "ENet"
unset multiplot
GP
}

if [ "${1:-}" = chart ]; then chart "$2" "$3" "$4"; exit 0; fi

exe=${COURIER_E2E:-$here/../build/bench/benchmarks/e2e/courier_e2e}
out=${OUT:-$here/../benchmarks/results}
mkdir -p "$out"
if ! spec=$(bash "$here/bottleneck-net.sh" up $$ 2>/tmp/courier-bn-$$.err); then
  echo "skipped: kernel bottleneck: cannot create network namespaces ($(cat /tmp/courier-bn-$$.err))"
  rm -f /tmp/courier-bn-$$.err
  exit "${BOTTLENECK_SKIP_CODE:-0}"
fi
rm -f /tmp/courier-bn-$$.err
trap 'bash "$here/bottleneck-net.sh" down $$' EXIT
trap 'exit 130' INT TERM
echo "bottleneck: $spec (tbf burst ${BOTTLENECK_BURST:-15000} B, latency ${BOTTLENECK_LATENCY:-25ms})"
"$exe" run --bottleneck-only --bottleneck "$spec" "$@" --md "$out/bottleneck.md" --json "$out/bottleneck.json" \
    --bottleneck-dat "$out/bottleneck.dat"
if [ "${1:-}" != "--smoke" ]; then
  machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%d)"
  chart "$out/bottleneck.dat" "$out/bottleneck.png" "courier vs ENet through tbf ${spec##*,} bit/s — $machine"
fi
