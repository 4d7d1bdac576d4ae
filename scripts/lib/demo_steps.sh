# Shared by the demo scripts (chat_demo.sh, relay_demo.sh): one summary line per checked step,
# waiting for a line in a process's log, and stopping a process gracefully. Source it.

passed=0
failed=0
summary=()
check() {  # check "what" command...: one summary line per step
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then
    passed=$((passed + 1))
    summary+=("  ok    $what")
  else
    failed=$((failed + 1))
    summary+=("  FAIL  $what")
  fi
}

# wait_for FILE PATTERN PID [TENTHS]: until FILE has a line matching PATTERN (TENTHS/10 s at
# most, default 10 s, and only while PID runs). Prints the first matching line.
wait_for() {
  local file=$1 pattern=$2 pid=$3 tenths=${4:-100}
  for _ in $(seq "$tenths"); do
    if grep -m1 -E "$pattern" "$file" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -m1 -E "$pattern" "$file" 2>/dev/null
}

# stop PID: SIGTERM, then wait (5 s at most) for it to exit; returns its exit code.
stop() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 1
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  local rc=0
  wait "$pid" || rc=$?
  return "$rc"
}

# finish NAME: prints the summary and exits non-zero if any step failed.
finish() {
  printf '%s\n' "${summary[@]}"
  if [ "$failed" -ne 0 ]; then
    echo "$1: $failed of $((passed + failed)) checks FAILED"
    exit 1
  fi
  echo "$1: all $passed checks passed"
}
