# messaging: the transactional outbox and its relay, and the inbox consumer with dead-letter
# handling. Builds on persistence (tables, units of work), kafka (producer, consumer) and http
# (metrics, readiness); Boost.JSON (the envelope's body) is included by envelope.cpp only.
set(_messaging ${CMAKE_CURRENT_LIST_DIR})
target_sources(eskit_runtime PRIVATE
  ${_messaging}/envelope.cpp
  ${_messaging}/outbox.cpp
  ${_messaging}/relay.cpp
  ${_messaging}/dead_letter.cpp
  ${_messaging}/inbox_consumer.cpp)
target_link_libraries(eskit_runtime PRIVATE Boost::json Threads::Threads)

if(ESKIT_BUILD_TESTS)
  add_executable(runtime_messaging_tests
    # Shared fixtures of the modules below: the private PostgreSQL cluster and the embedded broker.
    ${PROJECT_SOURCE_DIR}/runtime/src/persistence/tests/postgres_cluster.cpp
    ${PROJECT_SOURCE_DIR}/runtime/src/persistence/tests/test_databases.cpp
    ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests/test_support.cpp
    ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests/child_process.cpp
    ${_messaging}/tests/messaging_fixture.cpp
    ${_messaging}/tests/envelope_test.cpp
    ${_messaging}/tests/outbox_test.cpp
    ${_messaging}/tests/relay_test.cpp
    ${_messaging}/tests/inbox_test.cpp
    ${_messaging}/tests/kcat_wire_test.cpp)
  target_include_directories(runtime_messaging_tests PRIVATE ${PROJECT_SOURCE_DIR}/runtime/src
                                                             ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests)
  target_link_libraries(runtime_messaging_tests PRIVATE eskit::runtime eskit::local_postgres
                                                        eskit::warnings GTest::gtest_main Threads::Threads)
  # One ctest entry: the tests share one PostgreSQL cluster and one embedded broker.
  add_test(NAME runtime.messaging COMMAND runtime_messaging_tests)
  set_tests_properties(runtime.messaging PROPERTIES TIMEOUT 180)

  # The crash-safety test: it SIGKILLs these two children (a writer committing with the outbox
  # and its relay, an applier consuming through the inbox) over and over, then compares their
  # databases. Its own ctest entry: it runs for 65-80 s and owns its broker.
  foreach(_child IN ITEMS writer applier)
    add_executable(runtime_messaging_crash_${_child} ${_messaging}/tests/crash_${_child}_main.cpp)
    target_link_libraries(runtime_messaging_crash_${_child} PRIVATE eskit::runtime eskit::warnings
                                                                     CLI11::CLI11 Boost::json
                                                                     Threads::Threads)
  endforeach()
  add_executable(runtime_messaging_crash_safety_tests
    ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests/test_support.cpp
    ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests/child_process.cpp
    ${_messaging}/tests/crash_safety_test.cpp)
  target_include_directories(runtime_messaging_crash_safety_tests PRIVATE
                             ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests)
  target_compile_definitions(runtime_messaging_crash_safety_tests PRIVATE
    ESKIT_CRASH_WRITER_PATH="$<TARGET_FILE:runtime_messaging_crash_writer>"
    ESKIT_CRASH_APPLIER_PATH="$<TARGET_FILE:runtime_messaging_crash_applier>")
  # librdkafka directly: the test reads the applier group's committed offsets and the whole
  # topic without joining a group, which the runtime's Consumer cannot do.
  target_link_libraries(runtime_messaging_crash_safety_tests PRIVATE eskit::runtime eskit::warnings
                                                                     GTest::gtest_main Boost::json
                                                                     PkgConfig::RDKAFKA
                                                                     Threads::Threads)
  add_dependencies(runtime_messaging_crash_safety_tests runtime_messaging_crash_writer
                                                        runtime_messaging_crash_applier)
  add_test(NAME runtime.messaging.crash_safety COMMAND runtime_messaging_crash_safety_tests)
  set_tests_properties(runtime.messaging.crash_safety PROPERTIES TIMEOUT 150)
endif()
unset(_messaging)

if(ESKIT_FUZZ)
  # The envelope decoder over arbitrary headers and bodies (docs/fuzzing.md).
  add_executable(fuzz_envelope_decoder ${CMAKE_CURRENT_LIST_DIR}/fuzz/envelope_decoder_fuzz.cpp)
  target_link_libraries(fuzz_envelope_decoder PRIVATE eskit::runtime -fsanitize=fuzzer)
endif()
