#!/usr/bin/env bash
# Smoke test of word2vec-mpi with 2 ranks on a generated text (CI runs it after the main tests;
# about 30 s after the build):
#   1. 2 ranks train; the vocabulary they count equals `word2vec train --save-vocab` on one process,
#      byte for byte, and rank 0 writes well-formed vectors;
#   2. a rank that cannot read its input ends the job with an error and a non-zero exit, no output;
#   3. a rank killed mid-training ends the job within seconds, non-zero, no output, no temporary file.
# Usage: Scripts/mpi-smoke.sh [word2vec-mpi binary]   (default: built by Scripts/build-mpi.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Ranks wait for each other in MPI calls; on a shared CI machine they should yield, not spin.
export OMPI_MCA_mpi_yield_when_idle=1
mpi=${1:-$(Scripts/build-mpi.sh)}
swift build -c release --product word2vec >&2
single=.build/release/word2vec
work=$(mktemp -d "${TMPDIR:-/tmp}/mpi-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "mpi-smoke: FAIL: $*" >&2; exit 1; }
mpirun_() { mpirun --oversubscribe --bind-to none "$@"; }

# 60 topics of 50 words, 40,000 sentences of 8 words (320,000 words).
python3 - "$work/text.txt" <<'PY'
import random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    for _ in range(40000):
        t = random.randrange(60)
        f.write(" ".join(f"t{t}w{random.randrange(50)}" for _ in range(8)) + "\n")
PY

# 1. Training and the collective vocabulary.
start=$(date +%s)
mpirun_ -np 2 "$mpi" train --input "$work/text.txt" --output "$work/vectors.txt" --save-vocab "$work/vocab-mpi.txt" \
  --threads 1 --epochs 2 --dim 32 --sync-words 20000 --min-count 1 2> "$work/train.log" || { cat "$work/train.log" >&2; fail "2-rank training failed"; }
"$single" train --input "$work/text.txt" --save-vocab "$work/vocab-one.txt" --min-count 1 --quiet
cmp -s "$work/vocab-mpi.txt" "$work/vocab-one.txt" || fail "the 2-rank vocabulary differs from one process's"
read -r rows dim < "$work/vectors.txt"
[ "$rows" = 3000 ] && [ "$dim" = 32 ] || fail "vectors header is '$rows $dim', expected '3000 32'"
[ "$(wc -l < "$work/vectors.txt")" = 3001 ] || fail "vectors file has $(wc -l < "$work/vectors.txt") lines"
echo "mpi-smoke: 2 ranks trained in $(( $(date +%s) - start )) s; vocabulary equals one process's; $(grep synchronisation "$work/train.log")"

# 2. Rank 1 cannot read its input (MPMD: each rank its own arguments).
start=$(date +%s)
set +e
mpirun_ -np 1 "$mpi" train --input "$work/text.txt" --output "$work/bad.txt" --threads 1 \
  : -np 1 "$mpi" train --input "$work/missing.txt" --output "$work/bad.txt" --threads 1 > "$work/bad.log" 2>&1
status=$?
set -e
[ $status -ne 0 ] || fail "a rank without input: exit status 0"
grep -q "rank 1: cannot read '$work/missing.txt'" "$work/bad.log" || { cat "$work/bad.log" >&2; fail "a rank without input: no message naming the file"; }
[ ! -e "$work/bad.txt" ] || fail "a rank without input: output written"
echo "mpi-smoke: a rank without input ended the job in $(( $(date +%s) - start )) s with status $status"

# 3. Rank 1 killed mid-training.
mpirun_ -np 2 "$mpi" train --input "$work/text.txt" --output "$work/killed.txt" --threads 1 --epochs 200 \
  --sync-words 20000 --min-count 1 > "$work/killed.log" 2>&1 &
launcher=$!
for _ in $(seq 300); do grep -qs '^vocabulary' "$work/killed.log" && break; sleep 0.1; done
sleep 1
victim=""
for pid in $(pgrep -f "$work/killed.txt"); do
  tr '\0' '\n' < /proc/$pid/environ 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 && victim=$pid
done
[ -n "$victim" ] || { kill $launcher; fail "could not find the process of rank 1"; }
killed_at=$(date +%s.%N)
kill -9 "$victim"
set +e
wait $launcher
status=$?
set -e
took=$(echo "$(date +%s.%N) - $killed_at" | bc)
[ $status -ne 0 ] || fail "a killed rank: exit status 0"
[ "$(echo "$took < 10" | bc)" = 1 ] || fail "a killed rank: the job took $took s to end"
[ ! -e "$work/killed.txt" ] || fail "a killed rank: output written"
leftovers=$(find "$work" -name '.killed.txt.tmp-*')
[ -z "$leftovers" ] || fail "a killed rank: temporary file left: $leftovers"
echo "mpi-smoke: a killed rank ended the job in $(printf '%.1f' "$took") s with status $status, no output left"
echo "mpi-smoke: OK"
