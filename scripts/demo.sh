#!/usr/bin/env bash
# Installs what courier needs, builds the chat example, and runs it end to end: token service,
# chat server, three clients over UDP and WebSocket and one in headless Chromium
# (scripts/chat_demo.sh). Usage: bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build/gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++
targets=(chat_server chat_client)
# token_service exists only when cmake found cpp-httplib (see examples/CMakeLists.txt);
# browser_chat (the page of the browser client) only when em++ was found (COURIER_BUILD_BROWSER).
help=$(cmake --build build/gcc --target help)
for optional in token_service browser_chat; do
  if grep -q "\b$optional\b" <<<"$help"; then targets+=("$optional"); fi
done
cmake --build build/gcc -j "$(nproc)" --target "${targets[@]}"
bash scripts/chat_demo.sh build/gcc
