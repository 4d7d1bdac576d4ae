#!/usr/bin/env bash
# Runs the relay example end to end from an existing build: relay_server, then a dialing
# relay_peer (alice) that asks the server for bob's virtual address until bob is online, then a
# listening relay_peer (bob). Alice opens a virtual socket to bob through the server, sends
# lines one by one and waits for each echo, closes the socket and leaves. Then it stops bob and
# the server with SIGTERM, prints what everyone saw and a summary, and exits nonzero if any step
# failed. Everything listens on 127.0.0.1, on ports the kernel picks; the peers make their
# connect tokens from a throwaway key shared through the environment.
# Usage: bash scripts/relay_demo.sh <build dir>   (also ctest examples/relay_demo)
set -euo pipefail

build=$(cd "${1:?usage: bash scripts/relay_demo.sh <build dir>}" && pwd)
bin=$build/examples/relay
work=$(mktemp -d "${TMPDIR:-/tmp}/courier-relay-demo.XXXXXX")
server_pid=""
bob_pid=""
alice_pid=""
lines=5
port=7  # bob's virtual port

cleanup() {
  for pid in $alice_pid $bob_pid $server_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# check, wait_for, stop, finish
source "$(dirname "$0")/lib/demo_steps.sh"

# virtual_of FILE: the virtual address a peer printed ("address virtual=100.64.x.y").
virtual_of() { sed -n 's/^address virtual=\([0-9.]*\)$/\1/p' "$1" | head -n1; }

for program in relay_server relay_peer; do
  if [ ! -x "$bin/$program" ]; then
    echo "relay_demo.sh: $bin/$program is not built" >&2
    exit 1
  fi
done

COURIER_RELAY_PRIVATE_KEY=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
export COURIER_RELAY_PRIVATE_KEY

# 1. The server, on a port the kernel picks; it stops on SIGTERM or after 55 s. (The worst case
#    of every wait below adds up to less than the ctest's 60 s.)
"$bin/relay_server" --port 0 --seconds 55 >"$work/server.log" 2>&1 &
server_pid=$!
server_address=$(wait_for "$work/server.log" '^listening ' "$server_pid" | sed -n 's/^listening address=\([^ ]*\).*/\1/p' || true)
check "relay server listening on UDP ${server_address:-?}" test -n "$server_address"
server_address=${server_address:-127.0.0.1:1}

# 2. Alice dials first: bob is not online yet, so her lookups come back empty until he is.
#    She gives up after 20 s.
"$bin/relay_peer" --name alice --server "$server_address" --dial bob --port "$port" --lines "$lines" \
  --seconds 20 >"$work/alice.log" 2>&1 &
alice_pid=$!
wait_for "$work/alice.log" '^address virtual=' "$alice_pid" 50 >/dev/null || true

# 3. Bob listens on virtual port 7 and echoes; he stops on SIGTERM (or after 45 s).
"$bin/relay_peer" --name bob --server "$server_address" --listen "$port" --seconds 45 >"$work/bob.log" 2>&1 &
bob_pid=$!

alice_rc=0
wait "$alice_pid" || alice_rc=$?
alice_pid=""
alice_virtual=$(virtual_of "$work/alice.log")
bob_virtual=$(virtual_of "$work/bob.log")

check "alice exited 0" test "$alice_rc" -eq 0
check "alice learned her virtual address (${alice_virtual:-none})" test -n "$alice_virtual"
check "bob learned his virtual address (${bob_virtual:-none})" test -n "$bob_virtual"
check "their virtual addresses differ" test -n "$alice_virtual" -a "$alice_virtual" != "$bob_virtual"
check "alice found bob at his virtual address" grep -qxF "found name=bob virtual=$bob_virtual" "$work/alice.log"
check "bob was asked for a socket by alice's virtual address, on port $port" \
  grep -qE "^incoming socket=[0-9]+ from=$alice_virtual port=$port\$" "$work/bob.log"
every_echo() {
  for i in $(seq "$lines"); do
    grep -qxF "echo seq=$i text=line $i of $lines from alice" "$work/alice.log" || return 1
  done
  test "$(grep -c '^echo ' "$work/alice.log")" -eq "$lines"
}
check "alice got all $lines echoes back, intact and in order" every_echo
check "alice's summary says ok" grep -qx "summary lookups=[0-9]* sent=$lines echoed=$lines result=ok" "$work/alice.log"
check "bob received $lines lines" test "$(grep -c '^received .* text=line ' "$work/bob.log")" -eq "$lines"
wait_for "$work/bob.log" '^closed socket=.* reason=closed by peer$' "$bob_pid" 30 >/dev/null || true
check "bob saw alice close the socket" grep -qE '^closed socket=[0-9]+ reason=closed by peer$' "$work/bob.log"

# 4. Bob stops on SIGTERM; the server saw both come and go, then stops on SIGTERM too.
bob_rc=0
stop "$bob_pid" || bob_rc=$?
bob_pid=""
check "bob stopped on SIGTERM with exit code 0" \
  bash -c "test $bob_rc -eq 0 && grep -q '^stopping reason=signal' '$work/bob.log' && grep -q 'result=ok' '$work/bob.log'"
check "server gave alice and bob the addresses they printed" \
  bash -c "grep -q '^connect .*name=alice .*virtual=$alice_virtual\$' '$work/server.log' &&
           grep -q '^connect .*name=bob .*virtual=$bob_virtual\$' '$work/server.log'"
wait_for "$work/server.log" 'name=bob reason' "$server_pid" 30 >/dev/null || true
check "server saw both leave (closed by peer)" \
  test "$(grep -c '^disconnect .*reason=closed by peer' "$work/server.log")" -eq 2
server_rc=0
stop "$server_pid" || server_rc=$?
server_pid=""
check "server stopped on SIGTERM with exit code 0" \
  bash -c "test $server_rc -eq 0 && grep -q '^stopping reason=signal' '$work/server.log'"
check "server relayed one socket and its bytes" \
  grep -qE '^relay sockets_opened=1 sockets_open=0 .*forwarded_bytes=[1-9][0-9]* spoofed_frames=0 ' "$work/server.log"

for log in server bob alice; do
  [ -f "$work/$log.log" ] || continue
  echo "---- $log"
  sed 's/^/    /' "$work/$log.log"
done
echo "---- summary"
finish "relay demo"
