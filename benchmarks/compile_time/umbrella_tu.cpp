// (c) The umbrella header alone: the cost of parsing everything courier offers.
#include <courier/courier.hpp>

int main() { return 0; }
