# The http module: server, client, router, problems, readiness and the metrics registry.
# Boost.Beast and Asio are header-only and included by server.cpp, connection.cpp and
# client.cpp only; Boost.JSON is public (the runtime's JSON type), Boost.URL private.

set(_eskit_http ${CMAKE_CURRENT_LIST_DIR})
target_sources(eskit_runtime PRIVATE
  ${_eskit_http}/command_input.cpp
  ${_eskit_http}/on_behalf_of.cpp
  ${_eskit_http}/headers.cpp
  ${_eskit_http}/problem.cpp
  ${_eskit_http}/request.cpp
  ${_eskit_http}/response.cpp
  ${_eskit_http}/router.cpp
  ${_eskit_http}/metrics.cpp
  ${_eskit_http}/readiness.cpp
  ${_eskit_http}/dispatcher.cpp
  ${_eskit_http}/server.cpp
  ${_eskit_http}/connection.cpp
  ${_eskit_http}/client.cpp)
target_link_libraries(eskit_runtime PUBLIC Boost::json PRIVATE Boost::url Boost::system Threads::Threads)

if(ESKIT_BUILD_TESTS)
  add_executable(runtime_http_tests
    ${_eskit_http}/tests/raw_connection.cpp
    ${_eskit_http}/tests/test_server.cpp
    ${_eskit_http}/tests/router_test.cpp
    ${_eskit_http}/tests/on_behalf_of_test.cpp
    ${_eskit_http}/tests/command_input_test.cpp
    ${_eskit_http}/tests/metrics_test.cpp
    ${_eskit_http}/tests/server_test.cpp
    ${_eskit_http}/tests/limits_test.cpp
    ${_eskit_http}/tests/lifecycle_test.cpp
    ${_eskit_http}/tests/endpoints_test.cpp
    ${_eskit_http}/tests/client_test.cpp
    ${_eskit_http}/tests/correlation_test.cpp)
  target_include_directories(runtime_http_tests PRIVATE ${_eskit_http})
  target_link_libraries(runtime_http_tests PRIVATE eskit::runtime eskit::warnings GTest::gtest_main Threads::Threads)
  gtest_discover_tests(runtime_http_tests DISCOVERY_MODE PRE_TEST)
endif()
unset(_eskit_http)

if(ESKIT_FUZZ)
  # Beast's parser and the Dispatcher over arbitrary request bytes (docs/fuzzing.md).
  add_executable(fuzz_http_request ${CMAKE_CURRENT_LIST_DIR}/fuzz/http_request_fuzz.cpp)
  target_include_directories(fuzz_http_request PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(fuzz_http_request PRIVATE eskit::runtime Boost::headers -fsanitize=fuzzer)
endif()
