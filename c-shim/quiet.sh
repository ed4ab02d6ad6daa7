#!/usr/bin/env bash
# Runs one CMake step of the Maven build quietly: its output is shown only when it fails or
# warns (so `mvn -q` prints nothing from CMake, and a plain build stays short).
set -uo pipefail
log=$(mktemp)
"$@" >"$log" 2>&1
rc=$?
if ((rc != 0)) || grep -qi 'warning' "$log"; then cat "$log"; fi
rm -f "$log"
exit "$rc"
