// eskit-gateway: the executable behind `eskit gateway`.
#include "eskit/runtime/gateway/settings.hpp"

int main(int argc, char** argv) { return eskit::runtime::gateway::gateway_main(argc, argv); }
