#!/usr/bin/env bash
# Installs what courier needs, builds the chat example, and runs it end to end: token service,
# chat server, three clients over UDP and WebSocket (scripts/chat_demo.sh). Usage: bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build/gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++
targets=(chat_server chat_client)
# token_service exists only when cmake found cpp-httplib (see examples/CMakeLists.txt).
if cmake --build build/gcc --target help | grep -q '\btoken_service\b'; then targets+=(token_service); fi
cmake --build build/gcc -j "$(nproc)" --target "${targets[@]}"
bash scripts/chat_demo.sh build/gcc
