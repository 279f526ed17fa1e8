# eskit::run_support — what `eskit run` stands a system on, independent of the runtime's
# service code: ServiceProxy (a TCP relay in front of each context, for restarts, replicas and
# slow-downs) and PostgresCluster (a private PostgreSQL server for the services' databases).
add_library(eskit_run_support STATIC
  ${CMAKE_CURRENT_LIST_DIR}/src/service_proxy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/postgres_cluster.cpp)
add_library(eskit::run_support ALIAS eskit_run_support)
target_include_directories(eskit_run_support PUBLIC ${CMAKE_CURRENT_LIST_DIR}/include)
# The server process logic lives in the runtime's eskit::local_postgres, which the runtime's
# own tests use too: generator/run depends on the runtime, never the other way round.
target_link_libraries(eskit_run_support PRIVATE eskit::local_postgres Boost::headers Threads::Threads
                                                eskit::warnings)

if(ESKIT_BUILD_TESTS)
  # A binary per class, so each registers under its own ctest prefix.
  add_executable(run_service_proxy_tests ${CMAKE_CURRENT_LIST_DIR}/tests/service_proxy_test.cpp)
  target_link_libraries(run_service_proxy_tests PRIVATE eskit::run_support Boost::headers
                                                        Threads::Threads GTest::gtest_main
                                                        eskit::warnings)
  gtest_discover_tests(run_service_proxy_tests DISCOVERY_MODE PRE_TEST
                       TEST_PREFIX run.service_proxy. PROPERTIES TIMEOUT 60)

  # Opens the returned URLs the way services do, through the runtime's Database.
  add_executable(run_postgres_cluster_tests ${CMAKE_CURRENT_LIST_DIR}/tests/postgres_cluster_test.cpp)
  target_link_libraries(run_postgres_cluster_tests PRIVATE eskit::run_support eskit::runtime
                                                           GTest::gtest_main eskit::warnings)
  gtest_discover_tests(run_postgres_cluster_tests DISCOVERY_MODE PRE_TEST
                       TEST_PREFIX run.postgres_cluster. PROPERTIES TIMEOUT 120)
endif()
