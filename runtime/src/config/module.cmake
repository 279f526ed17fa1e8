# config: typed settings from defaults, a YAML file, environment variables and mounted files,
# validated at start-up; and structured JSON logging with correlation ids (src/config/log/).
# yaml-cpp is included by yaml_file.cpp only.
target_sources(eskit_runtime PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/setting.cpp
  ${CMAKE_CURRENT_LIST_DIR}/schema.cpp
  ${CMAKE_CURRENT_LIST_DIR}/value_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/yaml_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/origin.cpp
  ${CMAKE_CURRENT_LIST_DIR}/problem.cpp
  ${CMAKE_CURRENT_LIST_DIR}/config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/load.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log/level.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log/correlation.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log/json_line.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log/sink.cpp
  ${CMAKE_CURRENT_LIST_DIR}/log/logger.cpp)
target_link_libraries(eskit_runtime PRIVATE yaml-cpp)

if(ESKIT_BUILD_TESTS)
  set(_config_tests ${CMAKE_CURRENT_LIST_DIR}/tests)
  add_executable(runtime_config_tests
    ${_config_tests}/value_text_test.cpp
    ${_config_tests}/schema_test.cpp
    ${_config_tests}/load_test.cpp
    ${_config_tests}/yaml_file_test.cpp
    ${_config_tests}/json_line_test.cpp
    ${_config_tests}/correlation_test.cpp
    ${_config_tests}/logger_test.cpp)
  # Tests reach the private headers (config/value_text.hpp, config/log/json_line.hpp).
  target_include_directories(runtime_config_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/..)
  # Boost.JSON parses the log lines back: an independent check that they are valid JSON.
  target_link_libraries(runtime_config_tests PRIVATE eskit::runtime Boost::json Threads::Threads
                                                     GTest::gtest_main eskit::warnings)
  gtest_discover_tests(runtime_config_tests DISCOVERY_MODE PRE_TEST)
endif()
