#!/usr/bin/env bash
# Runs the chat example end to end from an existing build: the token service (HTTPS with a
# throwaway self-signed certificate when openssl and an HTTPS-capable build are there, else
# HTTP; without token_service the clients make their own tokens), the chat server (UDP and
# WebSocket, wss:// with the same certificate), three clients, two over UDP and one over
# WebSocket, and, when the browser chat page is built and Chromium is installed, a fourth in
# headless Chromium (examples/browser_chat, served by the token service). They fetch tokens,
# connect, hear each other's lines, ask who is online and leave.
# Then it stops both services with SIGTERM, prints what everyone saw and a summary, and exits
# nonzero if any step failed. Everything listens on 127.0.0.1, on ports the kernel picks.
# Usage: bash scripts/chat_demo.sh <build dir>   (scripts/demo.sh and ctest examples/chat_demo)
set -euo pipefail

build=$(cd "${1:?usage: bash scripts/chat_demo.sh <build dir>}" && pwd)
bin=$build/examples
work=$(mktemp -d "${TMPDIR:-/tmp}/courier-chat-demo.XXXXXX")
server_pid=""
token_pid=""
browser_pid=""

cleanup() {
  # Chromium runs in a process group of its own (setsid below): ending the group ends its helpers.
  [ -n "$browser_pid" ] && kill -KILL -- "-$browser_pid" 2>/dev/null
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

# 0. A throwaway self-signed certificate for 127.0.0.1, when openssl is there: it serves the
#    token service's HTTPS and the chat server's wss://, and the clients trust it (--ca).
tls=no
if command -v openssl >/dev/null &&
   openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
     -addext "subjectAltName=IP:127.0.0.1" -keyout "$work/tls.key" -out "$work/tls.crt" \
     >"$work/openssl.log" 2>&1; then
  tls=yes
fi

# 1. The chat server, on ports the kernel picks: UDP, and WebSocket (wss:// with the
#    certificate, else ws://) for the client that does not use UDP. It stops on SIGTERM or after
#    55 s. (The worst case of every wait below adds up to less than the ctest's 60 s.)
ws_args=(--ws 127.0.0.1:0)
[ "$tls" = yes ] && ws_args=(--wss 127.0.0.1:0 --cert "$work/tls.crt" --key "$work/tls.key")
"$bin/chat/chat_server" --bind 127.0.0.1:0 "${ws_args[@]}" --seconds 55 >"$work/server.log" 2>&1 &
server_pid=$!
listening=$(wait_for "$work/server.log" '^listening ' "$server_pid" || true)
server_address=$(sed -n 's/^listening address=\([^ ]*\).*/\1/p' <<<"$listening")
ws_address=$(sed -n 's/^listening .*public=[^,]*,\([^ ]*\).*/\1/p' <<<"$listening")
check "chat server listening on UDP ${server_address:-?}" test -n "$server_address"
check "chat server listening on WebSocket ${ws_address:-?}" test -n "$ws_address"

# The browser client (dave) runs when its page is built, Chromium is there and the token
# service can serve the page (the page fetches its token from its own origin).
page_dir=$build/examples/browser_chat
chromium=$(command -v chromium || command -v chromium-browser || true)
browser=no
browser_skip=""
if [ ! -f "$page_dir/browser_chat.js" ]; then browser_skip="the browser chat page is not built (COURIER_BUILD_BROWSER)"
elif [ -z "$chromium" ]; then browser_skip="chromium is not installed"
elif [ ! -x "$bin/token_service/token_service" ]; then browser_skip="token_service is not built (it serves the page)"
else browser=yes
fi
# Each native client waits for every other one, and hears two lines from each.
others=2
[ "$browser" = yes ] && others=3

# 2. The token service, HTTPS when it can; every token names the chat server's UDP address
#    first, then its WebSocket one (a UDP client uses the first, a WebSocket client the second).
#    With the browser client it also serves the chat page, its .js and .wasm (--page-dir).
mode=none
token_args=()
client_args=(--server "${server_address:-127.0.0.1:1}")
ws_client_args=(--server "${ws_address:-ws://127.0.0.1:1}")
if [ -x "$bin/token_service/token_service" ] && [ -n "$server_address" ] && [ -n "$ws_address" ]; then
  mode=http
  if [ "$tls" = yes ] && "$bin/token_service/token_service" --check-https; then
    mode=https
    token_args=(--cert "$work/tls.crt" --key "$work/tls.key")
  fi
  [ "$browser" = yes ] && token_args+=(--page-dir "$page_dir")
  "$bin/token_service/token_service" --server "$server_address" --server "$ws_address" --listen 127.0.0.1:0 \
    --seconds 55 "${token_args[@]}" >"$work/token.log" 2>&1 &
  token_pid=$!
  url=$(wait_for "$work/token.log" '^listening ' "$token_pid" | sed -n 's/^listening url=\([^ ]*\).*/\1/p' || true)
  check "token service listening at ${url:-?} ($mode)" test -n "$url"
  client_args=(--token-url "${url:-http://127.0.0.1:1/token}")
  ws_client_args=("${client_args[@]}" "$([ "$tls" = yes ] && echo --wss || echo --ws)")
fi
[ "$tls" = yes ] && client_args+=(--ca "$work/tls.crt") && ws_client_args+=(--ca "$work/tls.crt")

# 3. The clients at once, alice and bob over UDP, carol over WebSocket (and dave in the browser):
#    each waits for the others, says two lines, waits to hear the others' lines, asks who is
#    online, and leaves. Each gives up after 15 s.
expect=$((2 * others))
"$bin/chat/chat_client" --name alice "${client_args[@]}" --peers "$others" --expect "$expect" --seconds 15 \
  "hello bob" "how is the weather?" >"$work/alice.log" 2>&1 &
alice_pid=$!
"$bin/chat/chat_client" --name bob "${client_args[@]}" --peers "$others" --expect "$expect" --seconds 15 \
  "hi alice" "sunny, thanks" >"$work/bob.log" 2>&1 &
bob_pid=$!
"$bin/chat/chat_client" --name carol "${ws_client_args[@]}" --peers "$others" --expect "$expect" --seconds 15 \
  "hello from a network without UDP" "bye" >"$work/carol.log" 2>&1 &
carol_pid=$!
if [ "$browser" = yes ]; then
  # Headless Chromium opens the page the token service serves; the program's lines reach its
  # console, which --enable-logging=stderr prints. The demo's certificate is self-signed and
  # made a moment ago, so Chromium would refuse the https:// page and the wss:// connection:
  # --ignore-certificate-errors accepts it. That flag is for a throwaway development
  # certificate on 127.0.0.1 only; a real deployment serves a certificate the browser trusts.
  # (Over plain HTTP, without openssl, the page uses ws:// and no flag is needed.)
  page_url="${url%/token}/browser_chat.html?name=dave&peers=$others&expect=$expect&seconds=15"
  page_url+="&say=hello+from+a+browser&say=bye+from+the+web"
  browser_flags=(--headless=new --no-sandbox --disable-gpu --user-data-dir="$work/chromium"
                 --disable-background-networking --disable-component-update --no-first-run
                 --enable-logging=stderr --v=0)
  [ "$mode" = https ] && browser_flags+=(--ignore-certificate-errors)
  setsid "$chromium" "${browser_flags[@]}" "$page_url" >"$work/chromium.log" 2>&1 &
  browser_pid=$!
fi
rcs=()
for pid in $alice_pid $bob_pid $carol_pid; do
  rc=0
  wait "$pid" || rc=$?
  rcs+=("$rc")
done

# dave's lines, from Chromium's console log lines (`...CONSOLE...] "text", source: ...`).
if [ "$browser" = yes ]; then
  wait_for "$work/chromium.log" '"summary ' "$browser_pid" 200 >/dev/null || true
  sleep 0.5  # the page's disconnect packets leave before Chromium is stopped
  kill -KILL -- "-$browser_pid" 2>/dev/null || true
  wait "$browser_pid" 2>/dev/null || true
  browser_pid=""
  sed -n 's/.*:CONSOLE[^]]*\] "\(.*\)", source: .*/\1/p' "$work/chromium.log" >"$work/dave.log"
fi

clients=3
[ "$browser" = yes ] && clients=4
if [ "$mode" = none ]; then
  summary+=("  --    token service not built: the clients made their own tokens")
else
  check "token service issued $clients tokens" test "$(grep -c '^issued ' "$work/token.log")" -eq "$clients"
fi
check "alice exited 0" test "${rcs[0]}" -eq 0
check "bob exited 0" test "${rcs[1]}" -eq 0
check "carol (WebSocket) exited 0" test "${rcs[2]}" -eq 0
check "alice heard bob's lines" grep -q '^<bob> sunny, thanks$' "$work/alice.log"
check "bob heard alice's lines" grep -q '^<alice> how is the weather?$' "$work/bob.log"
check "alice heard carol's lines (WebSocket to UDP)" grep -q '^<carol> bye$' "$work/alice.log"
check "carol heard bob's lines (UDP to WebSocket)" grep -q '^<bob> sunny, thanks$' "$work/carol.log"
for who in alice bob carol; do
  check "$who was told who is online" grep -q '^online ' "$work/$who.log"
done
if [ "$browser" = yes ]; then
  check "dave (browser) finished his conversation" grep -q '^summary .*result=ok' "$work/dave.log"
  check "dave heard alice's lines (UDP to browser)" grep -q '^<alice> how is the weather?$' "$work/dave.log"
  check "dave heard carol's lines (WebSocket to browser)" grep -q '^<carol> bye$' "$work/dave.log"
  check "alice heard dave's lines (browser to UDP)" grep -q '^<dave> bye from the web$' "$work/alice.log"
  check "carol heard dave's lines (browser to WebSocket)" grep -q '^<dave> hello from a browser$' "$work/carol.log"
  check "dave was told who is online" grep -q '^online ' "$work/dave.log"
else
  summary+=("  --    browser client skipped: $browser_skip")
fi

# 4. The server saw all three come (carol over WebSocket) and go, then stops cleanly on SIGTERM.
check "server saw alice and bob connect over UDP" \
  bash -c "grep -q '^connect .*name=alice address=127' '$work/server.log' && grep -q '^connect .*name=bob address=127' '$work/server.log'"
check "server saw carol connect over WebSocket" grep -Eq '^connect .*name=carol address=wss?://' "$work/server.log"
leavers=(alice bob carol)
if [ "$browser" = yes ]; then
  check "server saw dave (browser) connect over WebSocket" grep -Eq '^connect .*name=dave address=wss?://' "$work/server.log"
  leavers+=(dave)
fi
for who in "${leavers[@]}"; do
  wait_for "$work/server.log" "name=$who reason" "$server_pid" 30 >/dev/null || true
done
check "server saw all $clients leave (closed by peer)" \
  test "$(grep -c '^disconnect .*reason=closed by peer' "$work/server.log")" -eq "$clients"
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

for log in server token alice bob carol dave; do
  [ -f "$work/$log.log" ] || continue
  echo "---- $log"
  sed 's/^/    /' "$work/$log.log"
done
echo "---- summary"
finish "chat demo"
