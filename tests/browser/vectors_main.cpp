// The Boost.Test main of courier_browser_vectors: tests/netcode's reference-vector suites
// (connect tokens, challenge tokens, every packet type, the handshake transcript) and
// tests/schema/bounded_vector.cpp, compiled with em++ and run under node, so the WebAssembly
// build's bytes are checked against the same netcode.io 1.02 vectors as the native build's.
// Boost.Test is compiled in (header-only form); WebAssembly has no alternate signal stack.
#define BOOST_TEST_MODULE courier_browser_vectors
#define BOOST_TEST_DISABLE_ALT_STACK
#include <boost/test/included/unit_test.hpp>
