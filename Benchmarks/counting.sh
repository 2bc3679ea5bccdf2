#!/usr/bin/env bash
# Vocabulary counting time by thread count: the scan that precedes training.
#
#   Benchmarks/counting.sh [small|bench|full|FILE] [runs, default 7] [threads, default 1,2]
#
# Times `word2vec train --input F --save-vocab V --threads T --quiet`, which opens and counts the
# corpus, writes the vocabulary and stops (no --output, so no training): the whole command's wall
# time, start-up included. Thread counts are interleaved run by run so that load from other work
# hits them alike; prints each thread count's median and minimum over the runs, its speed-up over
# the first thread count's median, and checks that every thread count wrote the same vocabulary.
# BIN=path uses another build instead of Scripts/build.sh's. Work files in data/counting-work/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SOURCE=${1:-bench}
RUNS=${2:-7}
THREADS=${3:-1,2}
WORK=${WORKDIR:-data/counting-work}
mkdir -p "$WORK"
BIN=${BIN:-$(Scripts/build.sh)}
case "$SOURCE" in
  small|bench|full) CORPUS=$(Scripts/fetch-corpus.sh "$SOURCE") ;;
  *) CORPUS=$SOURCE ;;
esac
echo "corpus $CORPUS: $(wc -w < "$CORPUS" | tr -d ' ') words, $(($(stat -c %s "$CORPUS") >> 20)) MiB; $RUNS runs; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

for run in $(seq "$RUNS"); do
  for t in ${THREADS//,/ }; do
    t0=$(date +%s.%N)
    "$BIN" train --input "$CORPUS" --save-vocab "$WORK/vocab-$t.txt" --threads "$t" --quiet
    t1=$(date +%s.%N)
    echo "$t $(echo "$t1 - $t0" | bc)" >> "$WORK/times.$$"
  done
done
first=${THREADS%%,*}
for t in ${THREADS//,/ }; do
  cmp -s "$WORK/vocab-$first.txt" "$WORK/vocab-$t.txt" || { echo "error: vocabularies of $first and $t threads differ" >&2; exit 1; }
done
python3 - "$WORK/times.$$" "$THREADS" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
order = sys.argv[2].split(",")
times = {t: sorted(float(s) for u, s in rows if u == t) for t in order}
base = statistics.median(times[order[0]])
print(f"{'threads':>7} {'median s':>9} {'min s':>7} {'speed-up':>8}")
for t in order:
    m = statistics.median(times[t])
    print(f"{t:>7} {m:9.3f} {times[t][0]:7.3f} {base / m:8.2f}")
PY
rm -f "$WORK/times.$$"
echo "vocabularies identical across thread counts"
