#!/usr/bin/env bash
# Compare swift-word2vec with gensim 4.4.0 and fastText on a real English
# corpus: words/s, peak RSS and analogy accuracy.  See Benchmarks/README.md.
#
#   Benchmarks/compare.sh [--runs N] [--combos cbow-ns,cbow-hs,sg-ns,sg-hs]
#                         [--tools ours,gensim,fasttext] [--skip-ours]
#                         [--no-build] [--binary PATH] [--corpus FILE]
#                         [--questions FILE] [--workdir DIR] [--keep-vectors]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

PY=${PYTHON:-python3}
BUILD=1
SKIP_OURS=0
CORPUS=""
BINARY="$REPO/.build-native/release/word2vec"
PASS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-ours) SKIP_OURS=1; PASS+=("$1"); shift ;;
    --no-build) BUILD=0; shift ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --binary) BINARY=$2; BUILD=0; shift 2 ;;
    --runs|--combos|--tools|--questions|--workdir) PASS+=("$1" "$2"); shift 2 ;;
    --keep-vectors) PASS+=("$1"); shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  as_root apt-get install -y -q "$@" >&2 || { as_root apt-get update -q >&2 &&
    as_root apt-get install -y -q "$@" >&2; }
}

# --- tools (installed only when missing)
if ! "$PY" -c 'import gensim, sys; sys.exit(gensim.__version__ != "4.4.0")' 2>/dev/null; then
  "$PY" -m pip install -q gensim==4.4.0 >&2
fi
command -v fasttext >/dev/null || apt_install fasttext
[ -x /usr/bin/time ] || apt_install time

# --- corpus
if [ -z "$CORPUS" ]; then
  CORPUS=$("$REPO/Scripts/fetch-corpus.sh" bench)
fi

# --- our binary
if [ "$SKIP_OURS" = 0 ] && [ "$BUILD" = 1 ]; then
  if [ -f Package.swift ] && command -v swift >/dev/null; then
    echo "building: Scripts/build.sh (release, -march=native, static runtime)" >&2
    "$REPO/Scripts/build.sh" >/dev/null ||
      echo "warning: swift build failed; ours will be n/a" >&2
  else
    echo "warning: no Package.swift or no swift toolchain; ours will be n/a" >&2
  fi
fi

exec "$PY" "$REPO/Benchmarks/bench.py" run --corpus "$CORPUS" \
  --binary "$BINARY" ${PASS[@]+"${PASS[@]}"}
