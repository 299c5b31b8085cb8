#!/bin/sh
# Builds the guest SDK examples whose toolchain is present, and skips (successfully) the others:
#   C              needs clang and wasm-ld (Debian: apt-get install clang lld)
#   AssemblyScript needs node and npm; the pinned compiler (package-lock.json) is installed by
#                  `npm ci` on the first build, and skipped if that fails (no registry reachable)
# Outputs: wasm-sdk/c/build/*.wasm, wasm-sdk/assemblyscript/build/*.wasm. Sources newer than their
# output are rebuilt; nothing else is. Maven runs this (middleware-wasm, profile wasm-sdk) so the SDK
# tests exercise real SDK guests when the toolchains exist; the tests never require them.
set -eu
cd "$(dirname "$0")"

stale() { # stale <output> <inputs...>: true when the output is missing or older than an input
    out=$1; shift
    [ ! -f "$out" ] && return 0
    for input in "$@"; do [ "$input" -nt "$out" ] && return 0; done
    return 1
}

if command -v clang >/dev/null 2>&1 && command -v wasm-ld >/dev/null 2>&1; then
    mkdir -p c/build
    for source in c/examples/*.c; do
        name=$(basename "$source" .c)
        if stale "c/build/$name.wasm" "$source" c/shepherd.h; then
            clang --target=wasm32 -O2 -nostdlib -Wall -Werror -Wl,--no-entry -o "c/build/$name.wasm" "$source"
            echo "wasm-sdk: built c/build/$name.wasm"
        fi
    done
else
    echo "wasm-sdk: clang/wasm-ld not found, C examples skipped"
fi

if [ ! -x assemblyscript/node_modules/.bin/asc ] && command -v npm >/dev/null 2>&1; then
    echo "wasm-sdk: installing the pinned AssemblyScript compiler (npm ci)"
    (cd assemblyscript && npm ci --no-audit --no-fund --loglevel=error) || echo "wasm-sdk: npm ci failed"
fi
if [ -x assemblyscript/node_modules/.bin/asc ]; then
    mkdir -p assemblyscript/build
    for source in assemblyscript/examples/*.ts; do
        name=$(basename "$source" .ts)
        if stale "assemblyscript/build/$name.wasm" "$source" assemblyscript/sdk/shepherd.ts; then
            (cd assemblyscript && node_modules/.bin/asc "examples/$name.ts" -O3 --runtime incremental \
                --use abort= -o "build/$name.wasm")
            echo "wasm-sdk: built assemblyscript/build/$name.wasm"
        fi
    done
else
    echo "wasm-sdk: AssemblyScript not available (needs node and npm), examples skipped"
fi
