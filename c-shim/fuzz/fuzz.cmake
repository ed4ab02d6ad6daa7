# Fuzz targets of the C shim (included from the root CMakeLists.txt).
#
# Every build (gcc or clang, plain or DS_SANITIZE): replay_<target> runs the target's entry
# function over its committed seed corpus (corpus/<target>/) and crash regressions
# (regress/<target>/) as a ctest, fuzz_replay_<target>. Exit 77 (not root: no private network
# namespace for the socket targets) is a skip.
#
# With -DDS_FUZZ=ON and clang (a separate build directory, see bin/fuzz):
#   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang-14 -DDS_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
# also fuzz_<target>: libFuzzer binaries with AddressSanitizer and UBSan over a copy of the
# shim's sources instrumented for coverage.
set(DS_FUZZ_TARGETS getaddrinfo getnameinfo inet ifname errors sockaddr sockopt)
set(DS_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/c-shim/fuzz)

foreach(t ${DS_FUZZ_TARGETS})
  add_executable(replay_${t} ${DS_FUZZ_DIR}/fuzz_${t}.c ${DS_FUZZ_DIR}/replay_main.c)
  target_link_libraries(replay_${t} dualsock_static)
  target_compile_definitions(replay_${t} PRIVATE _GNU_SOURCE)
  add_test(NAME fuzz_replay_${t}
           COMMAND replay_${t} ${DS_FUZZ_DIR}/corpus/${t} ${DS_FUZZ_DIR}/regress/${t})
  set_tests_properties(fuzz_replay_${t} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()

if(DS_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DS_FUZZ needs clang (libFuzzer): -DCMAKE_C_COMPILER=clang-14, "
                        "from apt-get install clang-14 libclang-rt-14-dev")
  endif()
  set(DS_FUZZ_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
  add_library(dualsock_fuzz STATIC ${DS_SOURCES})
  target_include_directories(dualsock_fuzz PUBLIC c-shim/include c-shim/src)
  target_compile_definitions(dualsock_fuzz PRIVATE _GNU_SOURCE)
  target_compile_options(dualsock_fuzz PRIVATE -fsanitize=fuzzer-no-link ${DS_FUZZ_FLAGS})
  foreach(t ${DS_FUZZ_TARGETS})
    add_executable(fuzz_${t} ${DS_FUZZ_DIR}/fuzz_${t}.c)
    target_link_libraries(fuzz_${t} dualsock_fuzz)
    target_compile_definitions(fuzz_${t} PRIVATE _GNU_SOURCE)
    target_compile_options(fuzz_${t} PRIVATE -fsanitize=fuzzer ${DS_FUZZ_FLAGS})
    target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer ${DS_FUZZ_FLAGS})
  endforeach()
endif()
