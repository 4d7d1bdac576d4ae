#!/usr/bin/env bash
# Builds courier and runs its whole test suite (what CI runs). Soak tests are skipped unless
# COURIER_SOAK=1. Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
jobs=$(nproc)

# 1. The main build: g++, warnings as errors, tests, examples, benchmarks.
cmake -S . -B build/gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++
cmake --build build/gcc -j "$jobs"

# 2. clang 14 must keep building every public header (each on its own) with warnings as errors.
cmake -S . -B build/clang -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
      -DCOURIER_BUILD_EXAMPLES=OFF -DCOURIER_BUILD_BENCHMARKS=OFF -DCOURIER_BUILD_TOOLS=OFF
cmake --build build/clang -j "$jobs" --target courier_header_check

labels=(-LE soak)
[ "${COURIER_SOAK:-0}" = 1 ] && labels=()
ctest --test-dir build/gcc --output-on-failure -j "$jobs" "${labels[@]}"
