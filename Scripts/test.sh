#!/usr/bin/env bash
# The project's test command (README, .ci/run): unit and behaviour tests, then interoperability checks
# that load our files with gensim and compare its answers with ours.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

swift test -c release

binary=.build/release/word2vec
for check in .ci/interop*.py; do
  [ -e "$check" ] || continue
  python3 "$check" "$binary"
done
