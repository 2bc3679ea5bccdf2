#!/usr/bin/env bash
# Incremental training: is `train A` then `update B` as good as training on A+B from scratch?
#
#   Benchmarks/update.sh [small|bench] [combos, default cbow-ns,sg-ns,cbow-hs] [runs, default 1]
#
# Splits the corpus (Scripts/fetch-corpus.sh KIND) into its first and second half of lines, A and B,
# and for each combination trains: A alone; A, then `word2vec update` on B; A+B from scratch (the
# whole file). It prints analogy accuracy (questions-words, restrict 30000, 3CosAdd) and WordSim-353
# Spearman for each, and checks that the updated vocabulary equals the from-scratch one (words and
# counts, via `convert --to npy`) and how far the update moved the old words' vectors (mean cosine of
# each old word's vector after the update with its vector before). Settings: dim 100, window 5, negative 5, sample 1e-4, min-count 5,
# 5 epochs, 2 threads; the update uses the model's own epochs and starting learning rate.
# Work files in data/update-work/ (WORKDIR to change).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
KIND=${1:-small}
COMBOS=${2:-cbow-ns,sg-ns,cbow-hs}
RUNS=${3:-1}
WORK=${WORKDIR:-data/update-work}
mkdir -p "$WORK"
BIN=$(Scripts/build.sh)
CORPUS=$(Scripts/fetch-corpus.sh "$KIND")
QUESTIONS=../shared/data/questions-words.txt
WORDSIM=../shared/data/wordsim353.tsv
if [ ! -f "$QUESTIONS" ] || [ ! -f "$WORDSIM" ]; then
  python3 -c 'import gensim' 2>/dev/null || pip install -q gensim==4.4.0 >&2
  DATA=$(python3 -c 'from gensim.test.utils import datapath; print(datapath(""))')
  QUESTIONS=$DATA/questions-words.txt
  WORDSIM=$DATA/wordsim353.tsv
fi

lines=$(wc -l < "$CORPUS")
head -n $((lines / 2)) "$CORPUS" > "$WORK/A.txt"
tail -n +$((lines / 2 + 1)) "$CORPUS" > "$WORK/B.txt"
cat "$WORK/A.txt" "$WORK/B.txt" > "$WORK/AB.txt"
words() { wc -w < "$1" | tr -d ' '; }
echo "corpus $KIND: A $(words "$WORK/A.txt") words, B $(words "$WORK/B.txt") words"

evaluate() {  # vectors -> "analogy% rho"
  local a s
  a=$("$BIN" evaluate analogies "$1" "$QUESTIONS" --restrict 30000 --json \
      | python3 -c 'import json,sys; t=json.load(sys.stdin)["total"]; print("%.2f" % (100*t["accuracy"]))')
  s=$("$BIN" evaluate similarity "$1" "$WORDSIM" --json \
      | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.3f" % (d["spearman"] or 0))')
  echo "$a $s"
}

printf '%-8s %-4s %-16s %9s %8s %9s\n' combo run model analogy% rho seconds
for combo in ${COMBOS//,/ }; do
  case "$combo" in
    cbow-ns) opts=(--model cbow --negative 5) ;;
    cbow-hs) opts=(--model cbow --hs --negative 0) ;;
    sg-ns) opts=(--model skipgram --negative 5) ;;
    sg-hs) opts=(--model skipgram --hs --negative 0) ;;
    *) echo "unknown combination $combo" >&2; exit 2 ;;
  esac
  common=(--dim 100 --window 5 --sample 1e-4 --min-count 5 --epochs 5 --threads 2 --quiet "${opts[@]}")
  for run in $(seq "$RUNS"); do
    seed=(--seed "$run")
    t0=$(date +%s.%N)
    "$BIN" train --input "$WORK/A.txt" --save-model "$WORK/A.w2v" --output "$WORK/A.bin" --binary "${common[@]}" "${seed[@]}"
    t1=$(date +%s.%N)
    "$BIN" update --model "$WORK/A.w2v" --input "$WORK/B.txt" --output "$WORK/AB-update.w2v" \
      --vectors "$WORK/AB-update.bin" --binary --quiet
    t2=$(date +%s.%N)
    "$BIN" train --input "$WORK/AB.txt" --save-model "$WORK/AB-scratch.w2v" --output "$WORK/AB-scratch.bin" --binary \
      "${common[@]}" "${seed[@]}"
    t3=$(date +%s.%N)
    drift=$(python3 - "$WORK/A.bin" "$WORK/AB-update.bin" <<'PY'
import sys, numpy as np
def read(path):
    with open(path, 'rb') as f:
        count, dim = map(int, f.readline().split())
        words, rows = [], np.empty((count, dim), dtype='<f4')
        for i in range(count):
            word = b''
            while (c := f.read(1)) != b' ':
                word += c
            words.append(word.strip())
            rows[i] = np.frombuffer(f.read(4 * dim), dtype='<f4')
        return dict(zip(words, rows))
before, after = read(sys.argv[1]), read(sys.argv[2])
cos = [float(np.dot(v, after[w]) / (np.linalg.norm(v) * np.linalg.norm(after[w]) + 1e-12)) for w, v in before.items()]
print("%.3f" % (sum(cos) / len(cos)))
PY
)
    echo "$combo run $run: old words' vectors after the update, mean cosine to before: $drift"
    for name in A AB-update AB-scratch; do
      case $name in A) s=$(echo "$t1 - $t0" | bc);; AB-update) s=$(echo "$t2 - $t1" | bc);; *) s=$(echo "$t3 - $t2" | bc);; esac
      read -r acc rho < <(evaluate "$WORK/$name.bin")
      printf '%-8s %-4s %-16s %9s %8s %9.1f\n' "$combo" "$run" "$name" "$acc" "$rho" "$s"
    done
    "$BIN" convert "$WORK/AB-update.w2v" --to npy --output "$WORK/npy-update"
    "$BIN" convert "$WORK/AB-scratch.w2v" --to npy --output "$WORK/npy-scratch"
    if cmp -s "$WORK/npy-update/vocab.txt" "$WORK/npy-scratch/vocab.txt"; then
      echo "$combo run $run: vocabulary after update == from scratch ($(wc -l < "$WORK/npy-update/vocab.txt") words, same counts and order)"
    else
      echo "$combo run $run: VOCABULARY DIFFERS from scratch"
    fi
  done
done
