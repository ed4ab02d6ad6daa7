#!/usr/bin/env bash
# Copies the built shim into the jar's per-OS/arch resource folder, with its SHA-256 beside
# it: the loader checks the extracted copy against that hash before loading it.
set -euo pipefail
lib=$1 dest=$2
[[ -f $lib ]] || { echo "bundle.sh: $lib was not built" >&2; exit 1; }
mkdir -p "$dest"
cp "$lib" "$dest/libdualsock.so"
sha256sum "$dest/libdualsock.so" | cut -d' ' -f1 > "$dest/libdualsock.so.sha256"
