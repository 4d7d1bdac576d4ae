#!/usr/bin/env bash
# The kernel bottleneck of courier_e2e's part 7 (issue 16): two network namespaces joined by a
# veth pair, the client's side limited by a tbf qdisc. netem is not used (not available on
# every machine this runs on); the path's own RTT is the veth's (tens of microseconds).
#
#   bottleneck-net.sh up ID     creates it; prints SERVER_NS,CLIENT_NS,SERVER_IP,RATE_BITS
#   bottleneck-net.sh down ID   removes it (deleting a namespace deletes its veth end)
#
# ID keeps two runs apart (the caller's PID). Settings (environment, with their defaults):
#   BOTTLENECK_RATE_BITS=20000000  tbf rate, bits/s: a home uplink a game shares with a download
#   BOTTLENECK_BURST=15000         tbf bucket, bytes: 10 full-size frames, 6 ms at 20 Mbit/s
#   BOTTLENECK_LATENCY=25ms        tbf queue limit as time: what a shaper with a short buffer holds
# Only the client's egress (client -> server: bulk and real-time data) is limited; acks go back
# unshaped. Fails (status 1, the reason on stderr) when namespaces cannot be created.
set -euo pipefail

cmd=${1:-}
id=${2:-$$}
server_ns="courier-bn-s-$id"
client_ns="courier-bn-c-$id"
server_if="cbs$id"
client_if="cbc$id"
server_ip=10.201.0.1
client_ip=10.201.0.2
rate=${BOTTLENECK_RATE_BITS:-20000000}
burst=${BOTTLENECK_BURST:-15000}
latency=${BOTTLENECK_LATENCY:-25ms}

down() {
  ip netns del "$server_ns" 2>/dev/null || true
  ip netns del "$client_ns" 2>/dev/null || true
}

up() {
  if [ "$(id -u)" -ne 0 ]; then echo "not root (network namespaces need CAP_NET_ADMIN)" >&2; exit 1; fi
  for tool in ip tc; do
    command -v "$tool" >/dev/null || { echo "'$tool' not found (iproute2)" >&2; exit 1; }
  done
  trap 'down' ERR
  ip netns add "$server_ns"
  ip netns add "$client_ns"
  ip link add "$server_if" type veth peer name "$client_if"
  ip link set "$server_if" netns "$server_ns"
  ip link set "$client_if" netns "$client_ns"
  ip -n "$server_ns" addr add "$server_ip/24" dev "$server_if"
  ip -n "$client_ns" addr add "$client_ip/24" dev "$client_if"
  for ns in "$server_ns" "$client_ns"; do ip -n "$ns" link set lo up; done
  ip -n "$server_ns" link set "$server_if" up
  ip -n "$client_ns" link set "$client_if" up
  ip netns exec "$client_ns" tc qdisc add dev "$client_if" root tbf rate "${rate}bit" burst "$burst" latency "$latency"
  ip netns exec "$client_ns" ping -c 1 -W 2 "$server_ip" >/dev/null
  trap - ERR
  echo "$server_ns,$client_ns,$server_ip,$rate"
}

case "$cmd" in
  up) ( up ) 2>/tmp/courier-bn-up-$id.err || { reason=$(tail -1 /tmp/courier-bn-up-$id.err); rm -f /tmp/courier-bn-up-$id.err; echo "$reason" >&2; down; exit 1; }
      rm -f /tmp/courier-bn-up-$id.err ;;
  down) down ;;
  *) echo "usage: $0 up|down ID" >&2; exit 64 ;;
esac
