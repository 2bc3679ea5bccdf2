#!/usr/bin/env bash
# The project's test command (README, .ci/run), in this order: the release build of the tool and tests;
# interoperability checks that load our files with gensim and compare its answers with ours; the web
# page in headless Chromium; a speed report against gensim (printed, never failing: a slowdown shows
# as a trend across CI logs); then the unit and behaviour tests.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# gzip input is read through the system zlib (Sources/CZlib).
[ -f /usr/include/zlib.h ] || { apt-get update -qq && apt-get install -y -qq zlib1g-dev; } >&2

# One build for the tool and the tests: `swift test` after a product-only build would compile every
# module again (with testing enabled), the server's dependencies included.
swift build -c release --build-tests
binary=.build/release/word2vec

# gensim goes into a virtual environment under the build folder, never into the system's Python:
# the checks run with its interpreter, so their own `pip install` fallback lands there too.
gensim_version=4.4.0
venv=.build/venv
if [ ! -x "$venv/bin/python" ]; then
  # Debian and Ubuntu ship venv's pip bootstrap (ensurepip) in a package of its own.
  python3 -c 'import ensurepip' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv; } >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
fi
python="$venv/bin/python"
"$python" -c "import gensim, sys; sys.exit(gensim.__version__ != '$gensim_version')" 2>/dev/null \
  || "$python" -m pip install -q "gensim==$gensim_version"

for check in .ci/interop*.py; do
  "$python" "$check" "$binary"
done

# The web page of `serve` in a real browser (Debian's chromium, installed when absent), driven over
# the DevTools protocol: a word typed into it must show /v1/similar's neighbours. Screenshot in
# .build/browser/page.png.
"$python" -c "import websocket" 2>/dev/null || "$python" -m pip install -q "websocket-client==1.9.2"
"$python" .ci/browser_check.py "$binary"
"$python" .ci/speed_report.py "$binary" || echo "speed report: could not run (see above)"

swift test -c release --skip-build
