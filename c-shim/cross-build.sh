#!/usr/bin/env bash
# Builds libdualsock.so for linux-aarch64 with Debian's cross compiler and bundles it next to
# the host build, after checking its ELF header (an AArch64 shared object) and its glibc symbol
# versions (<= the floor); a check that stands in for running it. Without the compiler it says so
# and bundles only the host platform, except with CI=true, where that is a failure.
#   cross-build.sh ROOT BUILD_DIR RESOURCE_ROOT BUILD_TYPE
set -euo pipefail
root=$1 build=$2 resources=$3 type=$4
cc=aarch64-linux-gnu-gcc
if ! command -v $cc >/dev/null; then
  msg="no $cc (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross, or bin/setup-packages --install): the jar carries only the host platform"
  if [[ ${CI:-} == true ]]; then echo "cross-build.sh: $msg" >&2; exit 1; fi
  echo "[WARNING] $msg" >&2; exit 0
fi
q="bash $root/c-shim/quiet.sh"
$q cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE="$type" -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 \
   -DCMAKE_C_COMPILER=$cc -DDS_LIBRARY_ONLY=ON
$q cmake --build "$build" --parallel 2 --target dualsock
lib=$build/libdualsock.so
header=$(readelf -h "$lib")
grep -q 'Machine:.*AArch64' <<<"$header" && grep -q 'Type:.*DYN' <<<"$header" && grep -q 'Class:.*ELF64' <<<"$header" \
  || { echo "cross-build.sh: $lib is not an AArch64 ELF64 shared object:" >&2; echo "$header" >&2; exit 1; }
bash "$root/c-shim/test/check_glibc_floor.sh" "$lib" 2.17 aarch64-linux-gnu-objdump >/dev/null
bash "$root/c-shim/bundle.sh" "$lib" "$resources/linux-aarch64"
