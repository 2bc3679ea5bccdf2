#!/usr/bin/env bash
# Thread scaling of training, ours against the original word2vec C tool, in one run.
#
#   Benchmarks/scaling.sh [--threads 1,2] [--runs 3] [--combos cbow-ns,sg-ns] [--epochs 1]
#                         [--corpus FILE] [--binary PATH] [--workdir DIR]
#
# Each tool first counts the corpus into a vocabulary file of its own; the timed runs then read it
# (`--read-vocab` / `-read-vocab`), so what is timed is training plus loading that file and writing
# the binary vectors: the issue's "training only" measure. Settings: dim 100, window 5, sample 1e-4,
# min-count 5, negative 5 (or hierarchical softmax for *-hs), alpha 0.05 CBOW / 0.025 skip-gram.
# Runs are interleaved (run by run, thread count by thread count, tool by tool) so that load from
# other work hits every cell alike. Prints, per combo and thread count, each tool's median wall
# time, its speed-up over its own first thread count, and ours / C tool; beside them the controls
# (Benchmarks/controls.c, once per run): what the machine gives T copies of a latency-bound scalar
# loop and of a throughput-bound SIMD FMA loop at once, so that every ratio says what the cores allow.
#
# The C tool is built from the word2vec.c that PyPI's `word2vec` 0.11.1 source distribution ships
# (downloaded with pip, compiled with gcc -O3 -march=native -funroll-loops -pthread, as its own
# Makefile does); nothing of it is kept in the repository.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

THREADS=1,2
RUNS=3
COMBOS=cbow-ns,sg-ns
EPOCHS=1
CORPUS=
BINARY=
WORK=data/scaling-work
while [ $# -gt 0 ]; do
  case $1 in
    --threads) THREADS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --combos) COMBOS=$2; shift 2 ;;
    --epochs) EPOCHS=$2; shift 2 ;;
    --corpus) CORPUS=$2; shift 2 ;;
    --binary) BINARY=$2; shift 2 ;;
    --workdir) WORK=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scaling.sh: error: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$WORK"
[ -n "$CORPUS" ] || CORPUS=$(Scripts/fetch-corpus.sh bench)
[ -n "$BINARY" ] || BINARY=$(Scripts/build.sh)

# --- the C tool
CTOOL=$WORK/word2vec-c
if [ ! -x "$CTOOL" ]; then
  command -v gcc >/dev/null || { apt-get update -qq && apt-get install -y -qq gcc; } >&2
  rm -rf "$WORK/ctool-src" && mkdir -p "$WORK/ctool-src"
  python3 -m pip download --quiet --no-deps --no-binary :all: word2vec==0.11.1 -d "$WORK/ctool-src" >&2
  tar xzf "$WORK"/ctool-src/word2vec-0.11.1.tar.gz -C "$WORK/ctool-src"
  gcc -O3 -march=native -funroll-loops -pthread -Wno-unused-result \
    "$WORK"/ctool-src/word2vec-0.11.1/word2vec/includes/word2vec.c -o "$CTOOL" -lm
fi

# --- the controls
CONTROLS=$WORK/controls
[ "$CONTROLS" -nt Benchmarks/controls.c ] || gcc -O3 -march=native -pthread Benchmarks/controls.c -o "$CONTROLS"

# --- vocabularies, each tool its own (the C tool's holds </s>, ours does not)
[ -s "$WORK/ours.vocab" ] || "$BINARY" train --input "$CORPUS" --save-vocab "$WORK/ours.vocab" --min-count 5 --quiet
[ -s "$WORK/c.vocab" ] || "$CTOOL" -train "$CORPUS" -save-vocab "$WORK/c.vocab" -min-count 5 >/dev/null
echo "corpus $CORPUS: $(wc -w < "$CORPUS" | tr -d ' ') words; $EPOCHS epoch(s); $RUNS runs; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

TIMES=$WORK/times.$$
: > "$TIMES"
run() {  # combo threads tool
  local combo=$1 t=$2 tool=$3 cbow=0 hs=0 negative=5 alpha=0.025
  case $combo in cbow-*) cbow=1; alpha=0.05 ;; esac
  case $combo in *-hs) hs=1; negative=0 ;; esac
  local t0 t1
  t0=$(date +%s.%N)
  if [ "$tool" = ours ]; then
    "$BINARY" train --input "$CORPUS" --read-vocab "$WORK/ours.vocab" --output "$WORK/ours.bin" --binary \
      --model "$([ $cbow = 1 ] && echo cbow || echo skipgram)" $([ $hs = 1 ] && echo --hs) \
      --negative $negative --dim 100 --window 5 --sample 1e-4 --min-count 5 --alpha $alpha \
      --epochs "$EPOCHS" --threads "$t" --quiet
  else
    "$CTOOL" -train "$CORPUS" -read-vocab "$WORK/c.vocab" -output "$WORK/c.bin" -binary 1 \
      -cbow $cbow -hs $hs -negative $negative -size 100 -window 5 -sample 1e-4 -min-count 5 \
      -alpha $alpha -iter "$EPOCHS" -threads "$t" >/dev/null
  fi
  t1=$(date +%s.%N)
  echo "$combo $t $tool $(echo "$t1 - $t0" | bc)" | tee -a "$TIMES"
}
for r in $(seq "$RUNS"); do
  for kind in scalar fma; do
    "$CONTROLS" $kind 1 1 ${THREADS//,/ } | while read -r t seconds speedup; do
      echo "control-$kind $t $speedup" | tee -a "$TIMES"
    done
  done
  for combo in ${COMBOS//,/ }; do
    for t in ${THREADS//,/ }; do
      run "$combo" "$t" ours
      run "$combo" "$t" c
    done
  done
done

python3 - "$TIMES" <<'PY'
import statistics, sys
cells, controls = {}, {}
for line in open(sys.argv[1]):
    fields = line.split()
    if fields[0].startswith("control-"):
        controls.setdefault((fields[0][8:], int(fields[1])), []).append(float(fields[2]))
        continue
    combo, t, tool, s = fields
    cells.setdefault((combo, int(t), tool), []).append(float(s))
combos = list(dict.fromkeys(k[0] for k in cells))
def control(kind, t):
    return statistics.median(controls[(kind, t)]) if (kind, t) in controls else float("nan")
print(f"\n{'combo':8} {'threads':>7} {'ours s':>8} {'C s':>8} {'ours x':>7} {'C x':>7} {'ours/C':>7} {'scalar x':>9} {'fma x':>7}")
for combo in combos:
    threads = sorted({k[1] for k in cells if k[0] == combo})
    base = {tool: statistics.median(cells[(combo, threads[0], tool)]) for tool in ("ours", "c")}
    for t in threads:
        ours = statistics.median(cells[(combo, t, "ours")])
        c = statistics.median(cells[(combo, t, "c")])
        # The controls' speed-up is over one thread; rescale to the first thread count as the others.
        scale = lambda kind: control(kind, t) / control(kind, threads[0])
        print(f"{combo:8} {t:7d} {ours:8.2f} {c:8.2f} {base['ours'] / ours:7.2f} {base['c'] / c:7.2f} {c / ours:7.2f}"
              f" {scale('scalar'):9.2f} {scale('fma'):7.2f}")
print("scalar x / fma x: T copies of a dependent 64-bit multiply-add chain / of 8 chains of 8-float FMAs at once,"
      " throughput over the first thread count (Benchmarks/controls.c)")
PY
