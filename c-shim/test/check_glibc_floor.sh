#!/usr/bin/env bash
# Fails when a shared library needs a glibc symbol version newer than the floor: the bundled
# shim must load on the oldest glibc users run (2.17: RHEL/CentOS 7, Amazon Linux 2; RHEL 8 and
# Ubuntu 20.04 are newer). Newer headers redirect some calls to new versions (fstat@GLIBC_2.33
# from glibc 2.33 on), which is how a build host's glibc leaks into the library.
#   check_glibc_floor.sh LIB FLOOR [OBJDUMP]
set -euo pipefail
lib=$1 floor=$2 objdump=${3:-objdump}
versions=$("$objdump" -T "$lib" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -u -V)
[[ -n $versions ]] || { echo "$lib: no GLIBC_ symbol versions found by $objdump -T" >&2; exit 1; }
highest=$(tail -1 <<<"$versions")
newest=$(printf '%s\n' "GLIBC_$floor" "$highest" | sort -V | tail -1)
if [[ $newest != "GLIBC_$floor" ]]; then
  echo "$lib needs $highest, above the floor GLIBC_$floor:" >&2
  "$objdump" -T "$lib" | sed -n 's/.*(\(GLIBC_[0-9.]*\)) *\([^ ]*\)$/\1 \2/p; s/.* \(GLIBC_[0-9.]*\) *\([^ ]*\)$/\1 \2/p' \
    | while read -r v sym; do
        [[ $(printf '%s\n' "GLIBC_$floor" "$v" | sort -V | tail -1) == "GLIBC_$floor" ]] || echo "  $sym@$v" >&2
      done
  exit 1
fi
echo "$lib: highest glibc symbol version $highest (floor GLIBC_$floor)"
