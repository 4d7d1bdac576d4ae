#!/usr/bin/env bash
# Installs the Debian packages courier needs. Run on Debian 12; it calls apt-get (as root) only
# when something is missing, so it is safe and quiet to run again.
#
#   bash scripts/install-deps.sh             # everything the build, tests, examples and benchmarks need
#   bash scripts/install-deps.sh --minimal   # only what building against courier needs (and its install)
# Without --minimal it also fetches libsodium's source for the browser build
# (scripts/fetch-sodium-source.sh: Debian's source package, into /usr/local/src/courier).
set -euo pipefail

# What a library user needs: a C++20 compiler, CMake, and what courier's headers include
# (<sodium.h> through pkg-config).
minimal=(
  g++ cmake make pkg-config
  libsodium-dev
)
full=(
  "${minimal[@]}"
  # clang 14: every header compiled alone with it too; its runtime for the libFuzzer builds
  clang-14 libclang-rt-14-dev
  # relay: SqliteAddressBook (optional for users; courier::sqlite)
  libsqlite3-dev
  # tests and benchmarks
  libboost-test-dev libbenchmark-dev
  # end-to-end benchmarks: ENet as the comparison library, gnuplot for the chart
  libenet-dev gnuplot-nox
  # examples: the chat token service over HTTP(S), and the demo's self-signed certificate
  libcpp-httplib-dev libssl-dev openssl
  # the WebSocket transport (courier::websocket): Boost.Beast and Asio headers, OpenSSL for wss://
  libboost-dev
  # browser clients (courier_add_browser_client, tests/browser, examples/browser_chat):
  # Emscripten (em++, its clang and node), headless Chromium for the browser tests and the
  # demo, dpkg-dev for `apt-get source libsodium` (libsodium compiled to WebAssembly), node-ws:
  # a WebSocket for the node runs of the browser tests on Debian's node 18, which has none
  emscripten chromium dpkg-dev node-ws
)

case "${1:-}" in
  "") packages=("${full[@]}") ;;
  --minimal) packages=("${minimal[@]}") ;;
  -h | --help) sed -n '2,6s/^# \{0,1\}//p' "$0"; exit 0 ;;
  *) echo "install-deps.sh: unknown option '$1' (use --minimal, or nothing)" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

sodium_source=/usr/local/src/courier/libsodium
need_sodium=no
[ "${1:-}" = "" ] && [ ! -f "$sodium_source/src/libsodium/include/sodium.h" ] && need_sodium=yes

if [ ${#missing[@]} -eq 0 ] && [ "$need_sodium" = no ]; then
  echo "install-deps.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  [ ${#missing[@]} -eq 0 ] || echo "install-deps.sh: missing ${missing[*]}" >&2
  [ "$need_sodium" = no ] || echo "install-deps.sh: missing libsodium's source in $sodium_source" >&2
  echo "install-deps.sh: run as root to install them (it calls apt-get)" >&2
  exit 1
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ "$need_sodium" = yes ]; then
  bash "$(dirname "$0")/fetch-sodium-source.sh" "$sodium_source"
fi
