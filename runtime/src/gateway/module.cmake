# gateway: the `eskit gateway` entry point in front of the services — prefix routes to
# upstreams, JWT verified once at the edge with the identity forwarded, CORS, correlation ids,
# upstream health. Built on the http module's server and client and the auth module.
foreach(_eskit_needed config http auth)
  if(NOT _eskit_needed IN_LIST ESKIT_RUNTIME_MODULES)
    message(FATAL_ERROR "the gateway runtime module needs the ${_eskit_needed} module: add it to "
                        "ESKIT_RUNTIME_MODULES")
  endif()
endforeach()
unset(_eskit_needed)

set(_eskit_gateway ${CMAKE_CURRENT_LIST_DIR})
target_sources(eskit_runtime PRIVATE
  ${_eskit_gateway}/route_table.cpp
  ${_eskit_gateway}/cors.cpp
  ${_eskit_gateway}/forwarded_headers.cpp
  ${_eskit_gateway}/upstream_monitor.cpp
  ${_eskit_gateway}/gateway.cpp
  ${_eskit_gateway}/settings.cpp
  ${_eskit_gateway}/gateway_main.cpp)
target_link_libraries(eskit_runtime PRIVATE CLI11::CLI11 Boost::json)

add_executable(eskit_gateway ${_eskit_gateway}/program.cpp)
set_target_properties(eskit_gateway PROPERTIES OUTPUT_NAME eskit-gateway)
target_link_libraries(eskit_gateway PRIVATE eskit::runtime eskit::warnings)

if(ESKIT_BUILD_TESTS)
  add_executable(runtime_gateway_tests
    ${_eskit_gateway}/../http/tests/test_server.cpp
    ${_eskit_gateway}/../http/tests/raw_connection.cpp
    ${_eskit_gateway}/../kafka/tests/child_process.cpp
    ${_eskit_gateway}/tests/gateway_fixture.cpp
    ${_eskit_gateway}/tests/route_table_test.cpp
    ${_eskit_gateway}/tests/cors_test.cpp
    ${_eskit_gateway}/tests/routing_test.cpp
    ${_eskit_gateway}/tests/forwarding_test.cpp
    ${_eskit_gateway}/tests/failure_test.cpp
    ${_eskit_gateway}/tests/auth_test.cpp
    ${_eskit_gateway}/tests/health_test.cpp
    ${_eskit_gateway}/tests/settings_test.cpp
    ${_eskit_gateway}/tests/lifecycle_test.cpp
    ${_eskit_gateway}/tests/program_test.cpp)
  target_include_directories(runtime_gateway_tests PRIVATE ${_eskit_gateway}
                                                           ${_eskit_gateway}/../http/tests
                                                           ${_eskit_gateway}/../kafka/tests)
  target_compile_definitions(runtime_gateway_tests PRIVATE
    ESKIT_GATEWAY_PATH="$<TARGET_FILE:eskit_gateway>")
  add_dependencies(runtime_gateway_tests eskit_gateway)
  target_link_libraries(runtime_gateway_tests PRIVATE eskit::runtime eskit::warnings Boost::json
                                                      GTest::gtest_main Threads::Threads)
  gtest_discover_tests(runtime_gateway_tests DISCOVERY_MODE PRE_TEST)
endif()
unset(_eskit_gateway)
