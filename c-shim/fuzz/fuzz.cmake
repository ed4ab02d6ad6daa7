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

# What every executable of target t needs besides its library: inet and ifname compare with libc
# through libdsbench's wrappers (c-shim/bench/dsbench.h), compiled in.
function(ds_fuzz_executable exe t)
  target_compile_definitions(${exe} PRIVATE _GNU_SOURCE)
  if(t STREQUAL "inet" OR t STREQUAL "ifname")
    target_sources(${exe} PRIVATE ${DS_BENCH_LIBC})
    target_include_directories(${exe} PRIVATE c-shim/bench)
  endif()
endfunction()

foreach(t ${DS_FUZZ_TARGETS})
  add_executable(replay_${t} ${DS_FUZZ_DIR}/fuzz_${t}.c ${DS_FUZZ_DIR}/replay_main.c)
  target_link_libraries(replay_${t} dualsock_static)
  ds_fuzz_executable(replay_${t} ${t})
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
    ds_fuzz_executable(fuzz_${t} ${t})
    target_compile_options(fuzz_${t} PRIVATE -fsanitize=fuzzer ${DS_FUZZ_FLAGS})
    target_link_options(fuzz_${t} PRIVATE -fsanitize=fuzzer ${DS_FUZZ_FLAGS})
  endforeach()
endif()
