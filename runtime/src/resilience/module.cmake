# resilience: circuit breaker, retry, bulkhead, rate limiter and fallback, composed around the
# http module's client into one resilient client per sync-call relation of the model.
if(NOT "http" IN_LIST ESKIT_RUNTIME_MODULES)
  message(FATAL_ERROR "the resilience runtime module needs the http module")
endif()

set(_eskit_resilience ${CMAKE_CURRENT_LIST_DIR})
target_sources(eskit_runtime PRIVATE
  ${_eskit_resilience}/clock.cpp
  ${_eskit_resilience}/sliding_window.cpp
  ${_eskit_resilience}/circuit_breaker.cpp
  ${_eskit_resilience}/retry.cpp
  ${_eskit_resilience}/bulkhead.cpp
  ${_eskit_resilience}/rate_limiter.cpp
  ${_eskit_resilience}/fallback.cpp
  ${_eskit_resilience}/resilient_client.cpp
  ${_eskit_resilience}/call_answer.cpp)

if(ESKIT_BUILD_TESTS)
  add_executable(runtime_resilience_tests
    ${_eskit_resilience}/../http/tests/test_server.cpp
    ${_eskit_resilience}/tests/sliding_window_test.cpp
    ${_eskit_resilience}/tests/circuit_breaker_test.cpp
    ${_eskit_resilience}/tests/retry_test.cpp
    ${_eskit_resilience}/tests/bulkhead_test.cpp
    ${_eskit_resilience}/tests/rate_limiter_test.cpp
    ${_eskit_resilience}/tests/fallback_test.cpp
    ${_eskit_resilience}/tests/resilient_client_test.cpp)
  # The private window header, and the http tests' TestServer for the end-to-end tests.
  target_include_directories(runtime_resilience_tests PRIVATE ${_eskit_resilience}
                                                              ${_eskit_resilience}/../http/tests)
  target_link_libraries(runtime_resilience_tests PRIVATE eskit::runtime eskit::warnings
                                                         GTest::gtest_main Threads::Threads)
  gtest_discover_tests(runtime_resilience_tests DISCOVERY_MODE PRE_TEST)

  # The tutoring write-up's breaker demonstration with real processes (tests/fault/): a slowed
  # payment and a matching that calls it through PayMatch, siege as the load.
  foreach(_program payment matching)
    add_executable(eskit_fault_${_program} ${_eskit_resilience}/tests/fault/${_program}_main.cpp)
    target_link_libraries(eskit_fault_${_program} PRIVATE eskit::runtime Boost::json CLI11::CLI11
                                                          Threads::Threads eskit::warnings)
  endforeach()
  add_executable(runtime_resilience_fault_test
    ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests/child_process.cpp
    ${_eskit_resilience}/tests/fault/exposition.cpp
    ${_eskit_resilience}/tests/fault/exposition_test.cpp
    ${_eskit_resilience}/tests/fault/breaker_fault_test.cpp)
  target_include_directories(runtime_resilience_fault_test PRIVATE
                             ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests)
  target_compile_definitions(runtime_resilience_fault_test PRIVATE
    ESKIT_FAULT_PAYMENT="$<TARGET_FILE:eskit_fault_payment>"
    ESKIT_FAULT_MATCHING="$<TARGET_FILE:eskit_fault_matching>")
  add_dependencies(runtime_resilience_fault_test eskit_fault_payment eskit_fault_matching)
  target_link_libraries(runtime_resilience_fault_test PRIVATE eskit::runtime Boost::json
                                                              eskit::warnings GTest::gtest_main
                                                              Threads::Threads)
  # One entry, run alone: ten seconds of load on real processes, judged by their latencies.
  add_test(NAME runtime.resilience.breaker_fault COMMAND runtime_resilience_fault_test)
  set_tests_properties(runtime.resilience.breaker_fault PROPERTIES TIMEOUT 120 RUN_SERIAL TRUE)
endif()

if(ESKIT_BUILD_BENCH)
  add_executable(breaker_bench ${_eskit_resilience}/bench/breaker_bench.cpp)
  target_link_libraries(breaker_bench PRIVATE eskit::runtime eskit::warnings)
  # Beside the other benchmarks, where bench/run finds it.
  set_target_properties(breaker_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY
                                                 ${PROJECT_BINARY_DIR}/bench)
endif()
unset(_eskit_resilience)
