#!/usr/bin/env bash
# Builds the benchmarks (Release) and runs the end-to-end comparison: courier (Netcode102,
# Netcode102OpenSsl, Aes256Gcm) next to ENet and raw UDP on 127.0.0.1, client and server in separate processes.
# Writes benchmarks/results/e2e.{json,md,dat} and the chart benchmarks/results/e2e.png, plus
# the Google Benchmark micro-benchmarks as benchmarks/results/micro.json, and the flood benchmark
# (players against a flooded server) as benchmarks/results/flood.{json,md}. As root it also
# runs part 7, the kernel bottleneck (network namespaces + veth + tbf, scripts/bottleneck-net.sh,
# torn down on exit): its rows go into e2e.{json,md}, its chart into e2e-bottleneck.png;
# elsewhere the Markdown says why it was skipped.
# Usage: bash scripts/bench.sh            (as root on Debian 12: installs packages first)
#        bash scripts/bench.sh --smoke    (tiny workloads: checks that every path runs)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then bash scripts/install-deps.sh; fi
build=build/bench
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$(nproc)" --target courier_e2e courier_micro courier_flood

out=benchmarks/results
mkdir -p "$out"
machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%d)"
echo "machine: $machine" | tee "$out/machine.txt"

if bneck=$(bash scripts/bottleneck-net.sh up $$ 2>/tmp/courier-bn-$$.err); then
  trap 'bash scripts/bottleneck-net.sh down $$' EXIT
  trap 'exit 130' INT TERM
else
  bneck="skip:cannot create network namespaces ($(cat /tmp/courier-bn-$$.err))"
  echo "skipped: kernel bottleneck: ${bneck#skip:}"
fi
rm -f /tmp/courier-bn-$$.err

"$build/benchmarks/e2e/courier_e2e" run "$@" --json "$out/e2e.json" --md "$out/e2e.md" --dat "$out/e2e.dat" \
    --bottleneck "$bneck" --bottleneck-dat "$out/e2e-bottleneck.dat"
if [ -s "$out/e2e-bottleneck.dat" ] && [[ $bneck != skip:* ]]; then
  bash scripts/bottleneck.sh chart "$out/e2e-bottleneck.dat" "$out/e2e-bottleneck.png" "courier vs ENet through tbf — $machine"
fi

gnuplot <<GP
set terminal pngcairo size 1000,560 noenhanced font "sans,10"
set output "$out/e2e.png"
set title "courier vs ENet vs raw UDP, 127.0.0.1 — $machine"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y
set ylabel "per second (log scale)"
set key top right
set datafile missing "?"
set grid ytics
plot "$out/e2e.dat" using 2:xtic(1) title "courier Netcode102", \
     "" using 3 title "courier Aes256Gcm", \
     "" using 4 title "ENet (no encryption)", \
     "" using 5 title "raw UDP"
GP
echo "wrote $out/e2e.json $out/e2e.md $out/e2e.png"

if [ "${1:-}" != "--smoke" ]; then
  "$build/benchmarks/micro/courier_micro" --benchmark_out="$out/micro.json" --benchmark_out_format=json \
      --benchmark_min_time=0.2 | tee "$out/micro.txt"
fi

flood_args=()
[ "${1:-}" = "--smoke" ] && flood_args=(--smoke)
"$build/benchmarks/flood/courier_flood" "${flood_args[@]}" --json "$out/flood.json" --md "$out/flood.md"
