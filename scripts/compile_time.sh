#!/usr/bin/env bash
# Measures how long courier takes to compile: each translation unit of benchmarks/compile_time/
# (client_tu: a plain UDP typed client; server_tu: the full server with a relay pack;
# umbrella_tu: courier/courier.hpp alone) compiled N times with -O2 -std=c++20 by each compiler,
# one compile at a time, in each mode: header-only (the default) and separate (the translation
# unit compiled with COURIER_SEPARATE_COMPILATION, as under courier_add_compiled_library; the
# definitions it leaves out are compiled once elsewhere and not counted). Reports min / median / max wall seconds, the min CPU seconds (user +
# sys, steadier than wall on a shared machine) and the peak memory of the compiler
# (/usr/bin/time, when present; without it only wall seconds). Read the min.
# Writes benchmarks/results/compile_time-<date>.{md,json}.
# Usage: bash scripts/compile_time.sh [runs]                        (default 5 runs)
#        COURIER_ROOT=/path/to/other/tree bash scripts/compile_time.sh   (measure another tree)
#        COMPILERS="g++" TUS="client_tu" MODES="separate" bash scripts/compile_time.sh 3
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="${COURIER_ROOT:-$here}"
runs="${1:-5}"
compilers="${COMPILERS:-g++ clang++-14}"
tus="${TUS:-client_tu server_tu umbrella_tu}"
modes="${MODES:-header-only separate}"
out="${OUT_DIR:-$here/benchmarks/results}"
stamp="$(date -u +%Y-%m-%d)"
md="$out/compile_time-$stamp.md"
json="$out/compile_time-$stamp.json"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

flags=(-std=c++20 -O2 -I"$root/include" $(pkg-config --cflags libsodium))
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%e %M %U %S" -o "$tmp/time")

# Prints "<seconds> <peak KB or -> [<user s> <sys s>]" for one compile of $2 by $1 in mode $3.
measure_once() {
  local src="$root/benchmarks/compile_time/$2.cpp" TIMEFORMAT=%R seconds mode_flags=()
  [ "$3" = separate ] && mode_flags=(-DCOURIER_SEPARATE_COMPILATION)
  if [ ${#timer[@]} -gt 0 ]; then
    "${timer[@]}" "$1" "${flags[@]}" "${mode_flags[@]}" -c "$src" -o "$tmp/$2.o"
    tail -1 "$tmp/time"
  else
    seconds=$( { time "$1" "${flags[@]}" "${mode_flags[@]}" -c "$src" -o "$tmp/$2.o"; } 2>&1)
    echo "$seconds -"
  fi
}

machine="$(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(uname -r)"
{
  echo "# Compile time, $stamp"
  echo
  echo "Tree: \`$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "$root")\`. Machine: $machine."
  echo "Flags: \`-std=c++20 -O2\`, $runs runs each, one compile at a time. Seconds are wall time;"
  echo "CPU is user + sys of the compiler, steadier than wall on a shared machine; memory is its peak"
  echo "resident set. Compare the min columns."
  echo
  echo "| TU | compiler | mode | min s | median s | max s | min CPU s | peak MB |"
  echo "|---|---|---|---:|---:|---:|---:|---:|"
} >"$md"
echo "[" >"$json"
first=1
for cxx in $compilers; do
  command -v "$cxx" >/dev/null || { echo "skipping $cxx: not installed" >&2; continue; }
  for tu in $tus; do
  for mode in $modes; do
    : >"$tmp/samples"
    for _ in $(seq "$runs"); do measure_once "$cxx" "$tu" "$mode" >>"$tmp/samples"; done
    read -r min med max kb cpu < <(sort -n "$tmp/samples" | awk '
      { s[NR] = $1; if ($2 != "-" && $2 > kb) kb = $2
        if (NF >= 4 && (cpu == "" || $3 + $4 < cpu)) cpu = $3 + $4 }
      END { printf "%.2f %.2f %.2f %s %s\n", s[1], s[int((NR + 1) / 2)], s[NR],
                   (kb == "" ? "-" : kb), (cpu == "" ? "-" : sprintf("%.2f", cpu)) }')
    mb="-"
    [ "$kb" != "-" ] && mb=$((kb / 1024))
    echo "$tu $cxx $mode: min $min s, median $med s, max $max s, min cpu $cpu s, peak $mb MB" >&2
    echo "| $tu | $cxx | $mode | $min | $med | $max | $cpu | $mb |" >>"$md"
    [ $first -eq 1 ] || echo "," >>"$json"
    first=0
    printf '  {"tu": "%s", "compiler": "%s", "mode": "%s", "runs": %s, "min_s": %s, "median_s": %s, "max_s": %s, "min_cpu_s": %s, "peak_mb": %s}' \
      "$tu" "$cxx" "$mode" "$runs" "$min" "$med" "$max" "$([ "$cpu" = "-" ] && echo null || echo "$cpu")" \
      "$([ "$mb" = "-" ] && echo null || echo "$mb")" >>"$json"
  done
  done
done
printf '\n]\n' >>"$json"
echo "wrote $md $json" >&2
