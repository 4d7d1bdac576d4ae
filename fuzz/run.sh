#!/usr/bin/env bash
# Runs libFuzzer targets one after another for SECONDS each (default 600) and merges what they
# found into the committed corpus (fuzz/corpus/<name>, minimized with -merge=1).
# Usage: bash fuzz/run.sh [SECONDS] [target...]   (default: every target)
# Needs the libFuzzer build:
#   cmake -S . -B build/fuzz -DCMAKE_CXX_COMPILER=clang++-14 -DCOURIER_LIBFUZZER=ON \
#         -DCOURIER_BUILD_TESTS=OFF -DCOURIER_BUILD_EXAMPLES=OFF -DCOURIER_BUILD_BENCHMARKS=OFF \
#         -DCOURIER_BUILD_TOOLS=OFF && cmake --build build/fuzz -j2
# Logs: build/fuzz/logs/<name>.log (the last lines hold execs, coverage and the final stats).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(server_packet client_packet connect_token challenge_token schema
                                      channel_payload reassembly server_session relay_frames source_limits
                                      websocket_frames)
bin=build/fuzz/fuzz
mkdir -p build/fuzz/logs build/fuzz/work
for t in "${targets[@]}"; do
  work=build/fuzz/work/$t
  mkdir -p "$work"
  start=$(date -u +%FT%TZ)
  t0=$(date +%s)
  "$bin/fuzz_$t" "$work" "fuzz/corpus/$t" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
      -artifact_prefix="build/fuzz/logs/$t-" >"build/fuzz/logs/$t.log" 2>&1 || echo "$t: FAILED (see build/fuzz/logs/$t.log)"
  echo "$t: started $start, ran $(( $(date +%s) - t0 ))s of ${seconds}s; $(grep -E '^#[0-9]+' "build/fuzz/logs/$t.log" | tail -1)"
  "$bin/fuzz_$t" -merge=1 "fuzz/corpus/$t" "$work" >"build/fuzz/logs/$t.merge.log" 2>&1 || true
done
