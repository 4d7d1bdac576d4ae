#!/usr/bin/env bash
# Installs what courier needs, builds it, and runs the main demo. Usage: bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build/gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++
cmake --build build/gcc -j "$(nproc)" --target lossy_demo
./build/gcc/examples/lossy_demo/lossy_demo
