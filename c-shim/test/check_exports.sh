#!/usr/bin/env bash
# libdualsock.so must export exactly the ds_ functions that dualsock.h declares with DS_EXPORT:
# a symbol without the prefix, or one the header does not promise, is a helper that leaked out
# of the hidden visibility (test and benchmark helpers belong in libdsbench.so or the tests);
# a declared function that is not exported fails at load time in Java, so catch it here.
#
#   check_exports.sh LIBRARY HEADER [NM]      (ctest runs it on every build, sanitizers included)
set -euo pipefail
lib=$1 header=$2 nm=${3:-nm}

[[ -f $lib ]] || { echo "check_exports: no library at $lib"; exit 1; }
exported=$("$nm" -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' | sort -u)
declared=$(grep -h 'DS_EXPORT' "$header" | grep -o '\bds_[a-z0-9_]*[[:space:]]*(' | tr -d ' (' | sort -u)
# an empty list would make every comparison below pass
[[ -n $exported ]] || { echo "check_exports: $nm found no dynamic symbols in $lib"; exit 1; }
[[ -n $declared ]] || { echo "check_exports: no DS_EXPORT declarations in $header"; exit 1; }

fail=0
while read -r s; do
  [[ $s == ds_* ]] || { echo "check_exports: $lib exports $s, not prefixed ds_"; fail=1; }
done <<< "$exported"
# names that only tests and benchmarks ever wanted, should one come back with the prefix
while read -r s; do
  [[ $s =~ noop|bench|echo|test|is_socket|inet_pton|inet_ntop|indextoname ]] && { echo "check_exports: $lib exports $s, a test/benchmark entry point"; fail=1; }
done <<< "$exported"
extra=$(comm -23 <(echo "$exported") <(echo "$declared"))
missing=$(comm -13 <(echo "$exported") <(echo "$declared"))
[[ -z $extra ]] || { echo "check_exports: exported but not declared in $(basename "$header"):" $extra; fail=1; }
[[ -z $missing ]] || { echo "check_exports: declared in $(basename "$header") but not exported:" $missing; fail=1; }

if ((fail)); then exit 1; fi
echo "check_exports: $(wc -l <<< "$exported") symbols, all declared ds_ functions"
