#!/usr/bin/env bash
# Fetches libsodium's source (Debian 12's package, 1.0.18 with Debian's patches) for the browser
# build, which compiles it to WebAssembly with emcc (cmake/CourierBrowser.cmake). Skips when the
# source is already there. It uses the same Debian mirror as the machine's apt sources, through a
# private source list and package index in a temporary folder: the machine's apt configuration
# is not changed. Needs dpkg-dev (apt-get source unpacks with dpkg-source) and network access
# to the mirror only.
#   bash scripts/fetch-sodium-source.sh [destination]   (default /usr/local/src/courier/libsodium)
set -euo pipefail

dest=${1:-/usr/local/src/courier/libsodium}
if [ -f "$dest/src/libsodium/include/sodium.h" ]; then
  echo "fetch-sodium-source.sh: libsodium source already in $dest"
  exit 0
fi

# The Debian mirror the machine already uses (deb822 .sources or one-line .list), not the
# security archive; deb.debian.org when none is configured.
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
         grep -Eo 'https?://[^ ]*/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)
mirror=${mirror:-http://deb.debian.org/debian}
mirror=${mirror%/}

work=$(mktemp -d "${TMPDIR:-/tmp}/courier-sodium-src.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial"
echo "deb-src $mirror bookworm main" >"$work/sources.list"
apt_options=(-o Dir::Etc::SourceList="$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
             -o Dir::State::Lists="$work/lists" -o APT::Sandbox::User=root)
echo "fetch-sodium-source.sh: apt-get source libsodium from $mirror (private source list)"
apt-get "${apt_options[@]}" update -qq
(cd "$work" && apt-get "${apt_options[@]}" source -qq libsodium >"$work/source.log" 2>&1) || {
  cat "$work/source.log" >&2
  exit 1
}
unpacked=$(find "$work" -maxdepth 1 -type d -name 'libsodium-*' | head -n1)
[ -n "$unpacked" ] || { echo "fetch-sodium-source.sh: no libsodium-* folder unpacked" >&2; exit 1; }
mkdir -p "$(dirname "$dest")"
rm -rf "$dest"
mv "$unpacked" "$dest"
echo "fetch-sodium-source.sh: libsodium $(basename "$unpacked") in $dest"
