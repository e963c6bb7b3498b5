# Helpers that give every target of ours the same compiler settings.

# Warnings are errors on our code only; third-party headers come in as SYSTEM.
set(WMS_WARNINGS -Wall -Wextra -Werror -Wpedantic -Wshadow -Wnon-virtual-dtor
                 -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference
                 -Wimplicit-fallthrough)

if(WMS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

find_program(WMS_CCACHE ccache)
if(WMS_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${WMS_CCACHE})
endif()

# wms_target_defaults(<target>): our warnings and standard on one target.
function(wms_target_defaults target)
  target_compile_options(${target} PRIVATE ${WMS_WARNINGS})
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()

# wms_add_library(<name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# Defines library wms_<name> with alias wms::<name>, public headers in
# ${CMAKE_CURRENT_SOURCE_DIR}/include.
function(wms_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(wms_${name} STATIC ${ARG_SOURCES})
  add_library(wms::${name} ALIAS wms_${name})
  target_include_directories(wms_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                         PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(wms_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  set_target_properties(wms_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  wms_target_defaults(wms_${name})
endfunction()

# wms_add_executable(<name> SOURCES ... DEPS ...): a thin shell over libraries.
function(wms_add_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  wms_target_defaults(${name})
endfunction()

set(WMS_EMULATED_TIMEOUT_FACTOR 3 CACHE STRING "How many times longer a suite may take under CMAKE_CROSSCOMPILING_EMULATOR")
set(WMS_EMULATED_TIME_SCALE 10 CACHE STRING "WMS_TEST_TIME_SCALE under CMAKE_CROSSCOMPILING_EMULATOR: how many times longer a test lets a time-limited step take")

# Test code drives real processes and waits on them: -O1 costs it nothing
# at run time and compiles Boost.Test's macros a third faster than -O2.
# The code under test keeps its own flags (its libraries). A cross build
# (its suites are the native ones again, under an emulator) takes -O0:
# another quarter less compile time (PickFlowTest.cpp for arm64: 18.3
# against 25.2 s user), which tools/run-tests' time budget needs.
function(wms_test_compile_options target)
  target_link_libraries(${target} PRIVATE Boost::unit_test_framework)
  target_compile_definitions(${target} PRIVATE BOOST_TEST_DYN_LINK)
  # POCO's public definitions (_FILE_OFFSET_BITS=64, _REENTRANT...) change
  # what the system headers declare: every suite gets them, whether it links
  # POCO or not, so that all can use the one precompiled header below.
  if(TARGET Poco::Foundation)
    target_compile_definitions(${target} PRIVATE $<TARGET_PROPERTY:Poco::Foundation,INTERFACE_COMPILE_DEFINITIONS>)
  endif()
  wms_target_defaults(${target})
  if(CMAKE_CROSSCOMPILING)
    target_compile_options(${target} PRIVATE $<$<CONFIG:RelWithDebInfo>:-O0>)
  else()
    target_compile_options(${target} PRIVATE $<$<CONFIG:RelWithDebInfo>:-O1>)
  endif()
endfunction()

# Every suite reuses one precompiled <boost/test/unit_test.hpp>, made once
# with the suites' own flags: 2.5 s less per test file (CodecTest.cpp: 9.7
# against 12.2 s), about three minutes of tools/run-tests on two cores.
function(wms_test_pch_target)
  if(TARGET wms_test_pch)
    return()
  endif()
  set(stub ${PROJECT_BINARY_DIR}/wms_test_pch.cpp)
  if(NOT EXISTS ${stub})
    file(WRITE ${stub} "// The precompiled Boost.Test header of every test suite is made here.\n")
  endif()
  add_library(wms_test_pch OBJECT ${stub})
  wms_test_compile_options(wms_test_pch)
  target_precompile_headers(wms_test_pch PRIVATE <boost/test/unit_test.hpp>)
endfunction()

# wms_add_test_suite(<name> SOURCES ... DEPS ... [LABELS ...] [TIMEOUT s])
# One Boost.Test executable registered with ctest. Test cases inside are named
# for the behaviour they pin down; ctest runs the whole executable.
function(wms_add_test_suite name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT WMS_BUILD_TESTS OR WMS_FUZZ)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  wms_test_compile_options(${name})
  wms_test_pch_target()
  target_precompile_headers(${name} REUSE_FROM wms_test_pch)
  # The file that defines BOOST_TEST_MODULE must include the header itself
  # (that is where Boost.Test makes main()); a header included ahead of the
  # file would leave the suite without one.
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(path ${src} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    if(EXISTS ${path})
      file(STRINGS ${path} module REGEX "^#define BOOST_TEST_MODULE" LIMIT_COUNT 1)
      if(module)
        set_source_files_properties(${src} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
      endif()
    endif()
  endforeach()
  add_test(NAME ${name} COMMAND ${name} --log_level=test_suite --report_level=short)
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set(env "WMS_SOURCE_DIR=${PROJECT_SOURCE_DIR};WMS_BINARY_DIR=${PROJECT_BINARY_DIR}")
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    # ctest starts the suite through the emulator; the suite starts this
    # build's programs through it too (tests/support, ChildProcess.h).
    # Emulated code runs several times slower: so may the suite, and a test
    # that sets a time limit on the code under test (the decoder's worker
    # timeout) scales it by WMS_TEST_TIME_SCALE.
    string(JOIN " " emulator ${CMAKE_CROSSCOMPILING_EMULATOR})
    list(APPEND env "WMS_TEST_EMULATOR=${emulator}" "WMS_TEST_TIME_SCALE=${WMS_EMULATED_TIME_SCALE}")
    math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * ${WMS_EMULATED_TIMEOUT_FACTOR}")
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} ENVIRONMENT "${env}" LABELS "${ARG_LABELS}")
endfunction()

# Fuzz targets (libFuzzer). They are built only in a clang build configured
# with -DWMS_FUZZ=ON (tools/run-tests makes one in build-fuzz/); the normal
# build registers a short ctest run of each when WMS_FUZZ_BINARY_DIR points at
# that build. Seeds and the broken inputs a parser was tested with live in
# CORPUS (a folder in the source tree); new finds go to a temporary folder.
#
# wms_add_fuzzer(<name> SOURCES ... DEPS ... CORPUS <dir> [SECONDS n])
set(WMS_FUZZ_BINARY_DIR "" CACHE PATH "Build folder of the clang fuzz build whose targets ctest runs briefly")
set(WMS_FUZZ_SECONDS 5 CACHE STRING "Seconds each fuzz target runs under ctest")
if(WMS_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  add_custom_target(wms_fuzzers)
endif()

function(wms_add_fuzzer name)
  cmake_parse_arguments(ARG "" "CORPUS;SECONDS" "SOURCES;DEPS" ${ARGN})
  if(WMS_FUZZ)
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_DEPS})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    wms_target_defaults(${name})
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzz)
    add_dependencies(wms_fuzzers ${name})
  elseif(WMS_FUZZ_BINARY_DIR)
    if(NOT ARG_SECONDS)
      set(ARG_SECONDS ${WMS_FUZZ_SECONDS})
    endif()
    add_test(NAME ${name}
             COMMAND ${PROJECT_SOURCE_DIR}/cmake/run-fuzzer.sh
                     ${WMS_FUZZ_BINARY_DIR}/fuzz/${name} ${ARG_CORPUS} ${ARG_SECONDS})
    math(EXPR fuzz_timeout "${ARG_SECONDS} + 120")
    set_tests_properties(${name} PROPERTIES TIMEOUT ${fuzz_timeout} LABELS fuzz)
  endif()
endfunction()
