#!/usr/bin/env bash
# Builds courier and runs its whole test suite (what CI runs). Soak tests are skipped unless
# COURIER_SOAK=1; COURIER_SANITIZE_SUITE=0 skips the sanitizer build (step 4).
# Usage: bash scripts/test.sh
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
# A test without its own TIMEOUT is stopped after 10 minutes: a hang fails that test, not the run.
timeout=(--timeout 600)
[ "${COURIER_SOAK:-0}" = 1 ] && labels=()
ctest --test-dir build/gcc --output-on-failure -j "$jobs" "${timeout[@]}" "${labels[@]}"

# 4. The unit and integration suites and the fuzz corpus replays again under AddressSanitizer +
#    UndefinedBehaviorSanitizer (g++, -O1: quicker to build, still fast to run). Tests that only
#    compile (headers, compile_fail, cmake consumers) ran in step 3 and are not repeated.
#    -Wno-maybe-uninitialized: g++ 12 with -fsanitize at -O1 reports false positives inside
#    Boost.PropertyTree's optional<T> (the netcode vector reader); the -O2 build keeps the check.
if [ "${COURIER_SANITIZE_SUITE:-1}" = 1 ]; then
  cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1 -O1 -Wno-maybe-uninitialized" \
        -DCMAKE_CXX_COMPILER=g++ -DCOURIER_SANITIZE=ON -DCOURIER_BUILD_EXAMPLES=OFF \
        -DCOURIER_BUILD_BENCHMARKS=OFF -DCOURIER_BUILD_TOOLS=OFF
  cmake --build build/asan -j "$jobs"
  # BOOST_TEST_CATCH_SYSTEM_ERRORS=no: a sanitizer report ends in abort(); Boost.Test would catch
  # that signal and carry on inside the corrupted test, which can hang instead of failing.
  BOOST_TEST_CATCH_SYSTEM_ERRORS=no ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build/asan --output-on-failure -j "$jobs" "${timeout[@]}" "${labels[@]}" \
          -E '^(headers|compile_fail|cmake)/'
fi
