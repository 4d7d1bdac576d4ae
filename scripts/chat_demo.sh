#!/usr/bin/env bash
# Runs the chat example end to end from an existing build: the token service (HTTPS with a
# throwaway self-signed certificate when openssl and an HTTPS-capable build are there, else
# HTTP; without token_service the clients make their own tokens), the chat server, and two
# clients that fetch tokens, connect, hear each other's lines, ask who is online and leave.
# Then it stops both services with SIGTERM, prints what everyone saw and a summary, and exits
# nonzero if any step failed. Everything listens on 127.0.0.1, on ports the kernel picks.
# Usage: bash scripts/chat_demo.sh <build dir>   (scripts/demo.sh and ctest examples/chat_demo)
set -euo pipefail

build=$(cd "${1:?usage: bash scripts/chat_demo.sh <build dir>}" && pwd)
bin=$build/examples
work=$(mktemp -d "${TMPDIR:-/tmp}/courier-chat-demo.XXXXXX")
server_pid=""
token_pid=""

cleanup() {
  for pid in $server_pid $token_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# check, wait_for, stop, finish
source "$(dirname "$0")/lib/demo_steps.sh"

for program in chat/chat_server chat/chat_client; do
  if [ ! -x "$bin/$program" ]; then
    echo "chat_demo.sh: $bin/$program is not built" >&2
    exit 1
  fi
done

# The key the token service and the chat server share, through the environment (not argv).
COURIER_CHAT_PRIVATE_KEY=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
export COURIER_CHAT_PRIVATE_KEY

# 1. The chat server, on a port the kernel picks; it stops on SIGTERM or after 55 s. (The
#    worst case of every wait below adds up to less than the ctest's 60 s.)
"$bin/chat/chat_server" --bind 127.0.0.1:0 --seconds 55 >"$work/server.log" 2>&1 &
server_pid=$!
server_address=$(wait_for "$work/server.log" '^listening ' "$server_pid" | sed -n 's/^listening address=\([^ ]*\).*/\1/p' || true)
check "chat server listening on UDP ${server_address:-?}" test -n "$server_address"

# 2. The token service, HTTPS when it can; it names the chat server in every token.
mode=none
token_args=()
client_args=(--server "${server_address:-127.0.0.1:1}")
if [ -x "$bin/token_service/token_service" ] && [ -n "$server_address" ]; then
  mode=http
  if command -v openssl >/dev/null && "$bin/token_service/token_service" --check-https; then
    if openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
         -addext "subjectAltName=IP:127.0.0.1" -keyout "$work/tls.key" -out "$work/tls.crt" \
         >"$work/openssl.log" 2>&1; then
      mode=https
      token_args=(--cert "$work/tls.crt" --key "$work/tls.key")
    fi
  fi
  "$bin/token_service/token_service" --server "$server_address" --listen 127.0.0.1:0 --seconds 55 \
    "${token_args[@]}" >"$work/token.log" 2>&1 &
  token_pid=$!
  url=$(wait_for "$work/token.log" '^listening ' "$token_pid" | sed -n 's/^listening url=\([^ ]*\).*/\1/p' || true)
  check "token service listening at ${url:-?} ($mode)" test -n "$url"
  client_args=(--token-url "${url:-http://127.0.0.1:1/token}")
  [ "$mode" = https ] && client_args+=(--ca "$work/tls.crt")
fi

# 3. Two clients at once: each waits for the other, says two lines, waits to hear the other's
#    two, asks who is online, and leaves. Each gives up after 15 s.
"$bin/chat/chat_client" --name alice "${client_args[@]}" --peers 1 --expect 2 --seconds 15 \
  "hello bob" "how is the weather?" >"$work/alice.log" 2>&1 &
alice_pid=$!
"$bin/chat/chat_client" --name bob "${client_args[@]}" --peers 1 --expect 2 --seconds 15 \
  "hi alice" "sunny, thanks" >"$work/bob.log" 2>&1 &
bob_pid=$!
alice_rc=0
wait "$alice_pid" || alice_rc=$?
bob_rc=0
wait "$bob_pid" || bob_rc=$?

if [ "$mode" = none ]; then
  summary+=("  --    token service not built: the clients made their own tokens")
else
  check "token service issued 2 tokens" test "$(grep -c '^issued ' "$work/token.log")" -eq 2
fi
check "alice exited 0" test "$alice_rc" -eq 0
check "bob exited 0" test "$bob_rc" -eq 0
check "alice heard bob's lines" grep -q '^<bob> sunny, thanks$' "$work/alice.log"
check "bob heard alice's lines" grep -q '^<alice> how is the weather?$' "$work/bob.log"
check "alice was told who is online" grep -q '^online ' "$work/alice.log"
check "bob was told who is online" grep -q '^online ' "$work/bob.log"

# 4. The server saw both come and go, then stops cleanly on SIGTERM.
check "server saw alice and bob connect" \
  bash -c "grep -q '^connect .*name=alice' '$work/server.log' && grep -q '^connect .*name=bob' '$work/server.log'"
wait_for "$work/server.log" 'name=bob reason' "$server_pid" 30 >/dev/null || true
wait_for "$work/server.log" 'name=alice reason' "$server_pid" 30 >/dev/null || true
check "server saw both leave (closed by peer)" \
  test "$(grep -c '^disconnect .*reason=closed by peer' "$work/server.log")" -eq 2
server_rc=0
stop "$server_pid" || server_rc=$?
server_pid=""
check "server stopped on SIGTERM with exit code 0" \
  bash -c "test $server_rc -eq 0 && grep -q '^stopping reason=signal' '$work/server.log'"
if [ -n "$token_pid" ]; then
  token_rc=0
  stop "$token_pid" || token_rc=$?
  token_pid=""
  check "token service stopped on SIGTERM with exit code 0" \
    bash -c "test $token_rc -eq 0 && grep -q '^stopping reason=signal' '$work/token.log'"
fi

for log in server token alice bob; do
  [ -f "$work/$log.log" ] || continue
  echo "---- $log"
  sed 's/^/    /' "$work/$log.log"
done
echo "---- summary"
finish "chat demo"
