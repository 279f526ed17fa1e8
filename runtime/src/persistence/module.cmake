# Persistence: SOCI over SQLite (embedded default) and PostgreSQL. SOCI 4.0 on Debian 12 ships
# no CMake config, so its libraries and headers are found by name. Driver headers stay private:
# the public headers in include/eskit/runtime/db/ see none of them.
find_path(ESKIT_SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(ESKIT_SOCI_CORE soci_core REQUIRED)
find_library(ESKIT_SOCI_SQLITE3 soci_sqlite3 REQUIRED)
find_library(ESKIT_SOCI_POSTGRESQL soci_postgresql REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)

set(_persistence ${CMAKE_CURRENT_LIST_DIR})
target_sources(eskit_runtime PRIVATE
  ${_persistence}/bound_statement.cpp
  ${_persistence}/connection_pool.cpp
  ${_persistence}/connection_url.cpp
  ${_persistence}/database.cpp
  ${_persistence}/dialect.cpp
  ${_persistence}/driver_error.cpp
  ${_persistence}/error.cpp
  ${_persistence}/migrator.cpp
  ${_persistence}/native_script.cpp
  ${_persistence}/repository.cpp
  ${_persistence}/retry.cpp
  ${_persistence}/timestamp_text.cpp
  ${_persistence}/unit_of_work.cpp)
target_include_directories(eskit_runtime SYSTEM PRIVATE ${ESKIT_SOCI_INCLUDE_DIR} ${PostgreSQL_INCLUDE_DIRS})
target_link_libraries(eskit_runtime PRIVATE
  ${ESKIT_SOCI_SQLITE3} ${ESKIT_SOCI_POSTGRESQL} ${ESKIT_SOCI_CORE}
  SQLite::SQLite3 PostgreSQL::PostgreSQL Threads::Threads ${CMAKE_DL_LIBS})

# A private PostgreSQL server (initdb, pg_ctl, psql), shared by the runtime's tests and
# `eskit run` (generator/run links it; the runtime must not depend on generator/run). Its own
# library, not part of eskit::runtime: services never start database servers.
add_library(eskit_local_postgres STATIC ${_persistence}/local_postgres.cpp)
add_library(eskit::local_postgres ALIAS eskit_local_postgres)
target_include_directories(eskit_local_postgres PUBLIC ${PROJECT_SOURCE_DIR}/runtime/include)
target_link_libraries(eskit_local_postgres PRIVATE eskit::warnings)

if(ESKIT_BUILD_TESTS)
  add_executable(runtime_persistence_tests
    ${_persistence}/tests/postgres_cluster.cpp
    ${_persistence}/tests/test_databases.cpp
    ${_persistence}/tests/connection_url_test.cpp
    ${_persistence}/tests/dialect_test.cpp
    ${_persistence}/tests/migrator_test.cpp
    ${_persistence}/tests/repository_test.cpp
    ${_persistence}/tests/sqlite_test.cpp
    ${_persistence}/tests/timestamp_text_test.cpp
    ${_persistence}/tests/unit_of_work_test.cpp)
  # The tests use private helpers (URL parsing, timestamp text), so they see src/ too.
  target_include_directories(runtime_persistence_tests PRIVATE ${PROJECT_SOURCE_DIR}/runtime/src)
  target_link_libraries(runtime_persistence_tests PRIVATE eskit::runtime eskit::local_postgres
                                                          eskit::warnings GTest::gtest_main)
  # One ctest entry for the whole binary: its tests share one private PostgreSQL cluster,
  # which takes seconds to initdb; a process per test would pay that for every test.
  add_test(NAME runtime.persistence COMMAND runtime_persistence_tests)
endif()
