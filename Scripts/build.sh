#!/usr/bin/env bash
# Builds the optimised `word2vec` for this machine and prints its path.
#   -march=native          the SIMD kernels use the widest vectors of this CPU (AVX2, AVX-512)
#   --static-swift-stdlib  links only the runtime code used: about 4 MB less resident memory
# The separate build directory keeps `swift build` / `swift test` (portable, debug or release) intact.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# gzip input is read through the system zlib (Sources/CZlib).
[ -f /usr/include/zlib.h ] || { apt-get update -qq && apt-get install -y -qq zlib1g-dev; } >&2
swift build -c release -Xcc -march=native --static-swift-stdlib --scratch-path .build-native --product word2vec >&2
echo "$PWD/.build-native/release/word2vec"
