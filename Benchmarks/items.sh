#!/usr/bin/env bash
# Item recommendation on MovieLens-100k: most-popular, gensim and swift-word2vec
# (`word2vec items`) in one table of HR@10, MRR@10, NDCG@10 and coverage, medians
# of 3 seeds.  See Benchmarks/README.md ("Items") and Benchmarks/items.py.
#
#   Benchmarks/items.sh [--seeds 1,2,3] [--threads 2] [--no-build] [--binary PATH]
#                       [--cache DIR] [--workdir DIR] [--rows KEY,...] [--tools gensim,ours]
#
# --rows picks rows by key, in that order (items.py run --help lists them), for example
# --rows w20-gensim,previous,defaults: gensim at window 20, the item defaults before
# --context-samples and today's, with their training seconds side by side.
#
# The data come from PyPI package recbole's wheel (pip download --no-deps
# recbole==1.2.1), cached in data/items-cache/ (ignored by git) or --cache DIR.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

PY=${PYTHON:-python3}
BINARY=""
BUILD=1
PASS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --binary) BINARY=$2; BUILD=0; shift 2 ;;
    --seeds|--threads|--cache|--workdir|--rows|--tools) PASS+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

if ! "$PY" -c 'import gensim, sys; sys.exit(gensim.__version__ != "4.4.0")' 2>/dev/null; then
  "$PY" -m pip install --quiet gensim==4.4.0 >&2
fi
if [ "$BUILD" = 1 ]; then
  BINARY=$(Scripts/build.sh)
elif [ -z "$BINARY" ]; then
  BINARY="$REPO/.build-native/release/word2vec"
fi
mkdir -p data
exec "$PY" Benchmarks/items.py run --binary "$BINARY" "${PASS[@]}"
