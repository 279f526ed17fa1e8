# Kafka: producer and consumer wrappers over librdkafka, and the embedded broker (librdkafka's
# mock cluster) with its `eskit-broker` tool. librdkafka stays private: public headers in
# include/eskit/runtime/kafka/ only forward-declare through pimpl.
find_package(PkgConfig REQUIRED)
if(NOT TARGET PkgConfig::RDKAFKA)
  # An IMPORTED target: its include directories are SYSTEM, so eskit's -Werror ignores them.
  pkg_check_modules(RDKAFKA REQUIRED IMPORTED_TARGET rdkafka)
endif()

target_sources(eskit_runtime PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/client_options.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rdkafka_handle.cpp
  ${CMAKE_CURRENT_LIST_DIR}/producer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/consumed_message.cpp
  ${CMAKE_CURRENT_LIST_DIR}/consumer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/embedded_broker.cpp)
# Boost.JSON reads librdkafka's statistics (broker connectivity) in producer.cpp.
target_link_libraries(eskit_runtime PRIVATE PkgConfig::RDKAFKA Boost::json Threads::Threads)

add_executable(eskit_broker ${CMAKE_CURRENT_LIST_DIR}/broker_main.cpp)
set_target_properties(eskit_broker PROPERTIES OUTPUT_NAME eskit-broker)
target_link_libraries(eskit_broker PRIVATE eskit::runtime CLI11::CLI11 eskit::warnings)

if(ESKIT_BUILD_TESTS)
  add_executable(runtime_kafka_tests
    ${CMAKE_CURRENT_LIST_DIR}/tests/test_support.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/child_process.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/options_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/round_trip_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/manual_commit_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/consumer_group_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/kcat_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/broker_tool_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/delivery_error_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tests/outage_test.cpp)
  target_compile_definitions(runtime_kafka_tests PRIVATE
    ESKIT_BROKER_PATH="$<TARGET_FILE:eskit_broker>")
  target_link_libraries(runtime_kafka_tests PRIVATE eskit::runtime Boost::json GTest::gtest_main
                                                    Threads::Threads eskit::warnings)
  add_dependencies(runtime_kafka_tests eskit_broker)
  # Every test shares one embedded broker per process; group joins dominate the run time.
  # One ctest entry for the whole binary: its tests share one embedded broker, and each
  # consumer-group join costs seconds that a process per test would pay again.
  add_test(NAME runtime.kafka COMMAND runtime_kafka_tests)
  set_tests_properties(runtime.kafka PROPERTIES TIMEOUT 240)
endif()
