# service: the process every generated bounded-context service runs (standard settings,
# database and migrations, relay, inbox consumers, HTTP server, signals and graceful stop).
# Builds on every other module; CLI11 (header-only) parses the service's command line.
set(_service ${CMAKE_CURRENT_LIST_DIR})
target_sources(eskit_runtime PRIVATE
  ${_service}/standard_settings.cpp
  ${_service}/service.cpp)
target_link_libraries(eskit_runtime PRIVATE CLI11::CLI11)

if(ESKIT_BUILD_TESTS)
  # A service built the way generated ones are, for the process-level tests.
  add_executable(eskit_sample_service ${_service}/tests/sample_service_main.cpp)
  target_link_libraries(eskit_sample_service PRIVATE eskit::runtime Boost::json eskit::warnings)
  add_executable(runtime_service_tests
    ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests/test_support.cpp
    ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests/child_process.cpp
    ${_service}/tests/service_test.cpp)
  target_include_directories(runtime_service_tests PRIVATE ${PROJECT_SOURCE_DIR}/runtime/src
                                                           ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests)
  target_compile_definitions(runtime_service_tests PRIVATE
    ESKIT_SAMPLE_SERVICE="$<TARGET_FILE:eskit_sample_service>")
  add_dependencies(runtime_service_tests eskit_sample_service)
  target_link_libraries(runtime_service_tests PRIVATE eskit::runtime eskit::warnings Boost::json
                                                      GTest::gtest_main Threads::Threads)
  # One ctest entry: the tests share one embedded broker.
  add_test(NAME runtime.service COMMAND runtime_service_tests)
  set_tests_properties(runtime.service PROPERTIES TIMEOUT 180)
endif()
unset(_service)
