# eskit::scenario — loading scenario files and playing them against a SystemControl.
# Public: include/eskit/run/scenario.hpp (no Beast, Asio, librdkafka or yaml-cpp in it).
set(_scenario_dir ${CMAKE_CURRENT_LIST_DIR}/src/scenario)
add_library(eskit_scenario STATIC
  ${_scenario_dir}/scenario.cpp
  ${_scenario_dir}/load.cpp
  ${_scenario_dir}/matcher.cpp
  ${_scenario_dir}/variables.cpp
  ${_scenario_dir}/events.cpp
  ${_scenario_dir}/handled_counts.cpp
  ${_scenario_dir}/report.cpp
  ${_scenario_dir}/player.cpp)
add_library(eskit::scenario ALIAS eskit_scenario)
# The YAML tree of the model loader (duplicate keys refused, positions kept) is private to
# eskit::model; only its header is borrowed here, its code comes with eskit::model.
target_include_directories(eskit_scenario PUBLIC ${CMAKE_CURRENT_LIST_DIR}/include
                                          PRIVATE ${_scenario_dir} ${PROJECT_SOURCE_DIR}/generator/src)
target_link_libraries(eskit_scenario PRIVATE eskit::runtime eskit::model eskit::text Boost::json
                                             Threads::Threads eskit::warnings)

if(ESKIT_BUILD_TESTS)
  set(_scenario_tests ${CMAKE_CURRENT_LIST_DIR}/tests)
  add_executable(eskit_scenario_tests
    ${_scenario_tests}/scenario_load_test.cpp
    ${_scenario_tests}/scenario_match_test.cpp
    ${_scenario_tests}/scenario_play_test.cpp
    ${_scenario_tests}/scenario_events_test.cpp
    ${_scenario_tests}/scenario_handled_test.cpp
    ${_scenario_tests}/scenario_test_support.cpp)
  target_include_directories(eskit_scenario_tests PRIVATE ${_scenario_dir} ${_scenario_tests})
  # The user's reference: every YAML example in it must load.
  target_compile_definitions(eskit_scenario_tests PRIVATE
                             ESKIT_SCENARIO_DOC="${PROJECT_SOURCE_DIR}/docs/scenarios.md")
  target_link_libraries(eskit_scenario_tests PRIVATE eskit::scenario eskit::runtime eskit::model
                                                     Boost::json GTest::gmock GTest::gtest_main
                                                     eskit::warnings)
  # One ctest entry per test file (its suites are named Scenario<File>...).
  foreach(_suite Load Match Play Events Handled)
    string(TOLOWER ${_suite} _name)
    add_test(NAME run.scenario.${_name} COMMAND eskit_scenario_tests
                  --gtest_filter=Scenario${_suite}*)
  endforeach()
  unset(_name)
  set_tests_properties(run.scenario.events PROPERTIES TIMEOUT 120)
endif()
unset(_scenario_dir)
unset(_scenario_tests)
