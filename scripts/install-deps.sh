#!/usr/bin/env bash
# Installs every Debian package courier's build, tests, examples and benchmarks need.
# Run as root on Debian 12. Safe to run again: apt skips what is already there.
set -euo pipefail

packages=(
  # toolchain
  g++ clang-14 libclang-rt-14-dev cmake make pkg-config
  # library dependencies
  libsodium-dev librange-v3-dev
  # relay: SqliteAddressBook (optional for users; courier::sqlite)
  libsqlite3-dev
  # tests and benchmarks
  libboost-test-dev libbenchmark-dev
  # end-to-end benchmarks: ENet as the comparison library, gnuplot for the chart
  libenet-dev gnuplot-nox
  # examples: the chat token service over HTTP(S), and the demo's self-signed certificate
  libcpp-httplib-dev libssl-dev openssl
)

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (it calls apt-get)" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
