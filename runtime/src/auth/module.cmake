# auth: JWT verification and issuing (HS256, RS256), route guards with roles, the login
# pattern, scrypt password hashing, and the JWT settings read through the config module.
# OpenSSL is included by crypto.cpp and password.cpp only; public headers stay standard C++.
foreach(_eskit_needed config http)
  if(NOT _eskit_needed IN_LIST ESKIT_RUNTIME_MODULES)
    message(FATAL_ERROR "the auth runtime module needs the ${_eskit_needed} module: add it to "
                        "ESKIT_RUNTIME_MODULES")
  endif()
endforeach()
unset(_eskit_needed)
find_package(OpenSSL 3 REQUIRED)

set(_eskit_auth ${CMAKE_CURRENT_LIST_DIR})
target_sources(eskit_runtime PRIVATE
  ${_eskit_auth}/base64.cpp
  ${_eskit_auth}/crypto.cpp
  ${_eskit_auth}/algorithm.cpp
  ${_eskit_auth}/verify_error.cpp
  ${_eskit_auth}/claims.cpp
  ${_eskit_auth}/verifier.cpp
  ${_eskit_auth}/signer.cpp
  ${_eskit_auth}/password.cpp
  ${_eskit_auth}/identity.cpp
  ${_eskit_auth}/forwarding.cpp
  ${_eskit_auth}/guard.cpp
  ${_eskit_auth}/login.cpp
  ${_eskit_auth}/settings.cpp)
target_link_libraries(eskit_runtime PRIVATE OpenSSL::Crypto)

if(ESKIT_BUILD_TESTS)
  add_executable(runtime_auth_tests
    ${_eskit_auth}/tests/test_keys.cpp
    ${_eskit_auth}/tests/base64_test.cpp
    ${_eskit_auth}/tests/verifier_test.cpp
    ${_eskit_auth}/tests/signer_test.cpp
    ${_eskit_auth}/tests/password_test.cpp
    ${_eskit_auth}/tests/forwarding_test.cpp
    ${_eskit_auth}/tests/guard_test.cpp
    ${_eskit_auth}/tests/login_test.cpp
    ${_eskit_auth}/tests/settings_test.cpp)
  # Tests reach the private helpers (auth/base64.hpp, auth/crypto.hpp) to forge tokens, and
  # OpenSSL to generate the RSA keys they need at run time: no key is ever committed.
  target_include_directories(runtime_auth_tests PRIVATE ${_eskit_auth}/..)
  target_compile_definitions(runtime_auth_tests PRIVATE
                             ESKIT_AUTH_TEST_KEY_DIR="${CMAKE_CURRENT_BINARY_DIR}/auth-test-keys")
  target_link_libraries(runtime_auth_tests PRIVATE eskit::runtime eskit::warnings OpenSSL::Crypto
                                                   GTest::gtest_main Threads::Threads)
  gtest_discover_tests(runtime_auth_tests DISCOVERY_MODE PRE_TEST)
endif()
unset(_eskit_auth)
