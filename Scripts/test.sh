#!/usr/bin/env bash
# The project's test command (README, .ci/run): interoperability checks that load our files with
# gensim and compare its answers with ours, a speed report against gensim (printed, never failing:
# a slowdown shows as a trend across CI logs), then the unit and behaviour tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# gzip input is read through the system zlib (Sources/CZlib).
[ -f /usr/include/zlib.h ] || { apt-get update -qq && apt-get install -y -qq zlib1g-dev; } >&2

swift build -c release --product word2vec
binary=.build/release/word2vec
for check in .ci/interop*.py; do
  python3 "$check" "$binary"
done
python3 .ci/speed_report.py "$binary" || echo "speed report: could not run (see above)"

swift test -c release
