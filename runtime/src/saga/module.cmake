# saga: the orchestrator of a model's orchestrated sagas, the participant helper and the tracker
# of choreographed ones. Builds on messaging (outbox, inbox), persistence (instances and history
# tables) and http (history routes, metrics); Boost.JSON (saga data, the history's JSON) is
# included by engine.cpp and store.cpp only.
foreach(_needed IN ITEMS persistence messaging http)
  if(NOT _needed IN_LIST ESKIT_RUNTIME_MODULES)
    message(FATAL_ERROR "the saga runtime module needs the ${_needed} module")
  endif()
endforeach()

set(_saga ${CMAKE_CURRENT_LIST_DIR})
target_sources(eskit_runtime PRIVATE
  ${_saga}/definition.cpp
  ${_saga}/state.cpp
  ${_saga}/store.cpp
  ${_saga}/engine.cpp
  ${_saga}/orchestrator.cpp
  ${_saga}/step_timer.cpp
  ${_saga}/participant.cpp
  ${_saga}/tracker.cpp
  ${_saga}/routes.cpp)
target_link_libraries(eskit_runtime PRIVATE Boost::json Threads::Threads)

if(ESKIT_BUILD_TESTS)
  add_executable(runtime_saga_tests
    # The persistence tests' private PostgreSQL cluster and the Kafka tests' embedded broker,
    # shared as the messaging tests share them.
    ${PROJECT_SOURCE_DIR}/runtime/src/persistence/tests/postgres_cluster.cpp
    ${PROJECT_SOURCE_DIR}/runtime/src/persistence/tests/test_databases.cpp
    ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests/test_support.cpp
    ${_saga}/tests/saga_fixture.cpp
    ${_saga}/tests/definition_test.cpp
    ${_saga}/tests/orchestrator_test.cpp
    ${_saga}/tests/compensation_test.cpp
    ${_saga}/tests/timeout_test.cpp
    ${_saga}/tests/participant_test.cpp
    ${_saga}/tests/tracker_test.cpp
    ${_saga}/tests/tracker_inbox_test.cpp
    ${_saga}/tests/routes_test.cpp)
  target_include_directories(runtime_saga_tests PRIVATE ${PROJECT_SOURCE_DIR}/runtime/src
                                                        ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests)
  target_link_libraries(runtime_saga_tests PRIVATE eskit::runtime eskit::local_postgres eskit::warnings
                                                   Boost::json GTest::gtest_main Threads::Threads)
  # One ctest entry: the tests share one PostgreSQL cluster and one broker.
  add_test(NAME runtime.saga COMMAND runtime_saga_tests)
  set_tests_properties(runtime.saga PROPERTIES TIMEOUT 180)

  # The crash test: SIGKILLs an orchestrator and a participant process (both on the embedded
  # broker, through their outboxes and inboxes) at random steps, then checks every instance
  # ended completed or compensated with each command applied exactly once. Its own ctest entry.
  foreach(_child IN ITEMS orchestrator participant)
    add_executable(runtime_saga_crash_${_child} ${_saga}/tests/crash_${_child}_main.cpp)
    target_include_directories(runtime_saga_crash_${_child} PRIVATE ${_saga}/tests)
    target_link_libraries(runtime_saga_crash_${_child} PRIVATE eskit::runtime eskit::warnings
                                                               CLI11::CLI11 Boost::json
                                                               Threads::Threads)
  endforeach()
  add_executable(runtime_saga_crash_tests
    ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests/test_support.cpp
    ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests/child_process.cpp
    ${_saga}/tests/crash_test.cpp)
  target_include_directories(runtime_saga_crash_tests PRIVATE ${_saga}/tests
                             ${PROJECT_SOURCE_DIR}/runtime/src/kafka/tests)
  target_compile_definitions(runtime_saga_crash_tests PRIVATE
    ESKIT_SAGA_ORCHESTRATOR_PATH="$<TARGET_FILE:runtime_saga_crash_orchestrator>"
    ESKIT_SAGA_PARTICIPANT_PATH="$<TARGET_FILE:runtime_saga_crash_participant>")
  target_link_libraries(runtime_saga_crash_tests PRIVATE eskit::runtime eskit::warnings
                                                         GTest::gtest_main Boost::json
                                                         Threads::Threads)
  add_dependencies(runtime_saga_crash_tests runtime_saga_crash_orchestrator
                                            runtime_saga_crash_participant)
  add_test(NAME runtime.saga.crash COMMAND runtime_saga_crash_tests)
  set_tests_properties(runtime.saga.crash PROPERTIES TIMEOUT 150)
endif()
if(ESKIT_BUILD_BENCH)
  add_executable(saga_bench ${_saga}/bench/saga_bench.cpp)
  target_link_libraries(saga_bench PRIVATE eskit::runtime eskit::warnings)
  # Beside the other benchmarks, where bench/run runs them.
  set_target_properties(saga_bench PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endif()
unset(_saga)
