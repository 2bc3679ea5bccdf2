#!/usr/bin/env bash
# One `similar` query, whole process, on the same vectors as a word2vec .bin and as a model file.
#
#   Benchmarks/model-queries.sh [runs, default 5] [words, default 400000] [dimension, default 300]
#
# Makes random vectors (a fixed seed; their values do not matter for timing), writes them as a
# word2vec binary file, converts that to a model file with `word2vec convert --to model`, warms the
# page cache, then times `word2vec similar FILE WORD --top 10` on each, alternating, and prints the
# medians, their ratio, peak resident memory, and whether both printed the same neighbours.
# Needs ~1.5 GB in the work directory (default data/model-queries/; WORKDIR to change).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS=${1:-5}
WORDS=${2:-400000}
DIM=${3:-300}
WORK=${WORKDIR:-data/model-queries}
mkdir -p "$WORK"
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
BIN=$(Scripts/build.sh)

bin="$WORK/vectors-$WORDS-$DIM.bin"
model="$WORK/vectors-$WORDS-$DIM.w2v"
if [ ! -f "$bin" ]; then
  python3 - "$bin" "$WORDS" "$DIM" <<'EOF'
import sys, random, struct
path, words, dim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
try:
    import numpy as np
    rows = np.random.default_rng(1).standard_normal((words, dim)).astype('<f4')
    row = lambda i: rows[i].tobytes()
except ImportError:
    r = random.Random(1)
    row = lambda i: struct.pack('<%df' % dim, *(r.gauss(0, 1) for _ in range(dim)))
with open(path, 'wb') as f:
    f.write(b'%d %d\n' % (words, dim))
    for i in range(words):
        f.write(b'w%d ' % i + row(i) + b'\n')
EOF
fi
[ -f "$model" ] || "$BIN" convert "$bin" --to model --output "$model"
cat "$bin" "$model" > /dev/null  # warm page cache

measure() {  # file -> "seconds rss_kb"
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$BIN" similar "$1" w12345 --top 10 > "$WORK/out-$(basename "$1").txt"
  cat "$WORK/time.txt"
}
bin_times=() model_times=() bin_rss=0 model_rss=0
for _ in $(seq "$RUNS"); do
  read -r t m < <(measure "$bin"); bin_times+=("$t"); bin_rss=$m
  read -r t m < <(measure "$model"); model_times+=("$t"); model_rss=$m
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mb=$(median "${bin_times[@]}")
mm=$(median "${model_times[@]}")
same=$(cmp -s "$WORK/out-$(basename "$bin").txt" "$WORK/out-$(basename "$model").txt" && echo yes || echo NO)
printf 'vectors: %d words x %d, %d runs each, whole process, warm page cache\n' "$WORDS" "$DIM" "$RUNS"
printf '%-8s %10s %14s %10s\n' file "median s" "peak RSS MB" "size MB"
printf '%-8s %10.3f %14.1f %10.1f\n' .bin "$mb" "$(echo "$bin_rss/1024" | bc -l)" "$(echo "$(stat -c %s "$bin")/1048576" | bc -l)"
printf '%-8s %10.3f %14.1f %10.1f\n' model "$mm" "$(echo "$model_rss/1024" | bc -l)" "$(echo "$(stat -c %s "$model")/1048576" | bc -l)"
printf 'model / .bin time: %.3f (target <= 0.25); same neighbours: %s\n' "$(echo "$mm/$mb" | bc -l)" "$same"
