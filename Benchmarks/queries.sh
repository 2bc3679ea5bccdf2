#!/usr/bin/env bash
# Query benchmark: `word2vec evaluate analogies` against gensim's `evaluate_word_analogies` on the
# same vector file, the full questions-words.txt test set, restrict 30,000 words, 3CosAdd.
#
# The vector file holds 30,000 real words with 100-dimensional random vectors (normal, seed 0),
# written by gensim in the word2vec binary format: every word of questions-words.txt (lower-cased,
# in order of appearance) followed by the most frequent words of the English Wikipedia extract that
# ships with gensim's test data. So every question is asked, and the ranking work (one pass over the
# 30,000 rows per question) is what it would be for trained vectors. So that many answers are right,
# the second word of each question pair is set to the first plus a per-section offset plus noise
# (where not already set). Both tools must report the same counts; the script checks that before
# timing.
#
# gensim runs with its BLAS limited to one thread (OPENBLAS/OMP/MKL_NUM_THREADS=1) unless
# GENSIM_BLAS_THREADS says otherwise (a number, or "default" for numpy's own choice): a query is one matrix-vector product, too small to gain from
# BLAS threads, and on a busy machine their spinning made gensim 6 to 20 times slower in our runs,
# so one thread is gensim's fastest configuration and the fair baseline.
#
# Usage: Benchmarks/queries.sh [runs]   (default 3; median and fastest wall times are reported)
# Needs python3 with gensim 4.x. Our binary is built with -march=native in .build-native.
set -euo pipefail

RUNS=${1:-3}
BLAS_THREADS=${GENSIM_BLAS_THREADS:-1}
if [ "$BLAS_THREADS" != default ]; then
    export OPENBLAS_NUM_THREADS=$BLAS_THREADS OMP_NUM_THREADS=$BLAS_THREADS MKL_NUM_THREADS=$BLAS_THREADS
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/word2vec-bench-queries}
mkdir -p "$WORK"

GENSIM_DATA=$(python3 -c 'import gensim, os; print(os.path.join(os.path.dirname(gensim.__file__), "test", "test_data"))')
QUESTIONS="$GENSIM_DATA/questions-words.txt"
VECTORS="$WORK/vectors-30k-100d.bin"

echo "building word2vec (Scripts/build.sh: release, -march=native)..." >&2
OURS=$("$ROOT/Scripts/build.sh")

if [ ! -s "$VECTORS" ]; then
    echo "making $VECTORS..." >&2
    python3 - "$GENSIM_DATA" "$QUESTIONS" "$VECTORS" <<'PY'
import bz2, collections, os, re, sys
import numpy as np
from gensim.models import KeyedVectors

data, questions, out = sys.argv[1:4]
words = []
seen = set()
with open(questions, encoding="utf8") as f:
    for line in f:
        if line.startswith(":"):
            continue
        for w in line.lower().split():
            if w not in seen:
                seen.add(w)
                words.append(w)
wiki = os.path.join(data, "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2")
with bz2.open(wiki, "rt", encoding="utf8", errors="replace") as f:
    counts = collections.Counter(re.findall(r"[a-z]+", f.read().lower()))
for w, _ in counts.most_common():
    if len(words) >= 30000:
        break
    if w not in seen:
        seen.add(w)
        words.append(w)
assert len(words) == 30000, len(words)
rng = np.random.default_rng(0)
vectors = rng.standard_normal((len(words), 100), dtype=np.float32)
row = {w: i for i, w in enumerate(words)}
planted = set()
with open(questions, encoding="utf8") as f:
    for line in f:
        if line.startswith(":"):
            offset = rng.standard_normal(100, dtype=np.float32)
            continue
        a, b, c, d = line.lower().split()
        for first, second in [(a, b), (c, d)]:
            if (first, second) not in planted:
                planted.add((first, second))
                vectors[row[second]] = vectors[row[first]] + offset + 0.3 * rng.standard_normal(100, dtype=np.float32)
kv = KeyedVectors(100)
kv.add_vectors(words, vectors)
kv.save_word2vec_format(out + ".tmp", binary=True)
os.replace(out + ".tmp", out)
PY
fi

# Same answers first: the timing is only meaningful if both do the same work.
python3 - "$OURS" "$VECTORS" "$QUESTIONS" <<'PY'
import json, subprocess, sys
from gensim.models import KeyedVectors
ours, vectors, questions = sys.argv[1:4]
mine = json.loads(subprocess.run([ours, "evaluate", "analogies", vectors, questions, "--restrict", "30000", "--json"],
                                 check=True, capture_output=True, text=True).stdout)
kv = KeyedVectors.load_word2vec_format(vectors, binary=True)
_, sections = kv.evaluate_word_analogies(questions, restrict_vocab=30000)
theirs = [(s["section"], len(s["correct"]), len(s["incorrect"])) for s in sections]
mine = [(s["name"], s["correct"], s["incorrect"]) for s in mine["sections"]] + \
       [("Total accuracy", mine["total"]["correct"], mine["total"]["incorrect"])]
if mine != theirs:
    sys.exit(f"results differ:\n ours   {mine}\n gensim {theirs}")
print(f"same counts: {theirs[-1][1]} correct of {theirs[-1][1] + theirs[-1][2]} questions asked", file=sys.stderr)
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
fastest() { sort -n | head -1; }
now() { date +%s.%N; }

ours_times=()
gensim_total=()
gensim_eval=()
for run in $(seq "$RUNS"); do
    start=$(now)
    "$OURS" evaluate analogies "$VECTORS" "$QUESTIONS" --restrict 30000 > /dev/null
    ours_times+=("$(echo "$(now) - $start" | bc)")
    start=$(now)
    eval_seconds=$(python3 - "$VECTORS" "$QUESTIONS" <<'PY'
import sys, time
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
start = time.perf_counter()
kv.evaluate_word_analogies(sys.argv[2], restrict_vocab=30000)
print(time.perf_counter() - start)
PY
)
    gensim_total+=("$(echo "$(now) - $start" | bc)")
    gensim_eval+=("$eval_seconds")
    echo "run $run: ours ${ours_times[-1]} s, gensim ${gensim_total[-1]} s (evaluate_word_analogies alone ${eval_seconds} s)" >&2
done

report() {  # label, values...
    local label=$1; shift
    local med fast
    med=$(printf '%s\n' "$@" | median)
    fast=$(printf '%s\n' "$@" | fastest)
    printf '  %-62s median %7.2f s  fastest %7.2f s' "$label" "$med" "$fast"
    if [ -n "${OURS_MEDIAN:-}" ]; then
        printf '  (%.1fx / %.1fx)' "$(echo "$med / $OURS_MEDIAN" | bc -l)" "$(echo "$fast / $OURS_FASTEST" | bc -l)"
    fi
    printf '\n'
}
echo "$RUNS runs, 19,544 questions, 30,000 x 100 vectors, restrict 30000 (speed-up of ours in parentheses):"
report "word2vec evaluate analogies (whole process: load + evaluate)" "${ours_times[@]}"
OURS_MEDIAN=$(printf '%s\n' "${ours_times[@]}" | median)
OURS_FASTEST=$(printf '%s\n' "${ours_times[@]}" | fastest)
report "gensim, whole process (import + load + evaluate), BLAS threads $BLAS_THREADS" "${gensim_total[@]}"
report "gensim, evaluate_word_analogies call alone" "${gensim_eval[@]}"
