#!/usr/bin/env bash
# A/B of courier's unthrottled loopback rows between builds or settings, alternating, so the
# machine's drift falls on every variant alike (docs/PERFORMANCE.md, "Congestion control").
# Usage: bash benchmarks/e2e/ab.sh REPS NAME=COURIER_E2E_BINARY[,ENV=VALUE...] ...
#   e.g. bash benchmarks/e2e/ab.sh 5 before=/tmp/old/courier_e2e after=build/bench/benchmarks/e2e/courier_e2e \
#          rate-on=build/bench/benchmarks/e2e/courier_e2e,COURIER_E2E_RATE=on
# Rows (Netcode102): reliable-ordered 100 B with a window of 256 and unreliable 1024 B
# (messages/s, the receiving server measures), request/response 100 B (round trip median and
# p99 in µs, the client measures). Prints min / median / max per row and variant.
set -euo pipefail
reps=${1:?usage: ab.sh REPS NAME=BINARY[,ENV=VALUE...] ...}
shift
[ $# -ge 1 ] || { echo "ab.sh: name at least one variant" >&2; exit 2; }
key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# run_case VARIANT_SPEC MEASURER(server|client) WORKLOAD "SERVER ARGS" "CLIENT ARGS" -> RESULT lines
run_case() {
  local spec=$1 measurer=$2 workload=$3 sargs=$4 cargs=$5
  local bin=${spec%%,*} envs=()
  [[ $spec == *,* ]] && IFS=, read -r -a envs <<<"${spec#*,}"
  env "${envs[@]}" "$bin" server courier nc "$workload" key="$key" $sargs >"$out/s" 2>/dev/null &
  local spid=$!
  for _ in $(seq 100); do grep -q '^PORT ' "$out/s" 2>/dev/null && break; sleep 0.05; done
  local port
  port=$(sed -n 's/^PORT //p' "$out/s")
  env "${envs[@]}" "$bin" client courier nc "$workload" key="$key" port="$port" $cargs >"$out/c" 2>/dev/null &
  local cpid=$!
  if [ "$measurer" = server ]; then wait $spid || true; kill $cpid 2>/dev/null || true; wait $cpid 2>/dev/null || true
  else wait $cpid || true; kill $spid 2>/dev/null || true; wait $spid 2>/dev/null || true; fi
  grep -h '^RESULT' "$out/s" "$out/c" || true
}

field() { tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }

declare -A samples
names=()
for v in "$@"; do names+=("${v%%=*}"); done
for r in $(seq "$reps"); do
  for v in "$@"; do
    name=${v%%=*} spec=${v#*=}
    w=$(run_case "$spec" server ordered "count=200000 queue=256" "count=200000 queue=256" | field msgs_per_s)
    u=$(run_case "$spec" server unreliable "ms=2000" "" | field msgs_per_s)
    rt=$(run_case "$spec" client rtt "" "count=20000")
    samples[$name/window]+="${w:-0} "
    samples[$name/unreliable]+="${u:-0} "
    samples[$name/rtt_median_us]+="$(field median_us <<<"$rt") "
    samples[$name/rtt_p99_us]+="$(field p99_us <<<"$rt") "
    echo "rep $r $name: window ${w:-?} msg/s, unreliable ${u:-?} msg/s, rtt $(field median_us <<<"$rt") / $(field p99_us <<<"$rt") us" >&2
  done
done

echo "| row | $(printf '%s | ' "${names[@]}")"
echo "|---|$(printf -- '---:|%.0s' "${names[@]}")"
for row in window unreliable rtt_median_us rtt_p99_us; do
  line="| $row |"
  for n in "${names[@]}"; do
    line+=" $(tr ' ' '\n' <<<"${samples[$n/$row]}" | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {printf "%s / %s / %s", a[1], a[int((NR+1)/2)], a[NR]}') |"
  done
  echo "$line"
done
