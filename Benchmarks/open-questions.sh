#!/usr/bin/env bash
# The open questions of word2vec (issue 13), answered on one corpus in one run: prints the Markdown
# tables of docs/open-questions.md.
#
#   Benchmarks/open-questions.sh [small|bench] [epochs, default 3]
#
# Every run: dim 100, window 5, sample 1e-4, min-count 5, 2 threads, seed 1, the given epochs, and
# otherwise each tool's defaults. Analogy: questions-words, 3CosAdd, restrict 30000 (accuracy over
# the questions whose words are all in the vocabulary; "covered" says how many). Similarity:
# WordSim-353 Spearman rho over the pairs in the vocabulary. words/s: epochs x corpus tokens /
# wall-clock seconds of the whole `train` call (counting included), so it is comparable across rows
# of one run only (the machine is shared).
#
#   1. objectives: NS, HS, HS+NS for CBOW and skip-gram;
#   2. the full softmax on a small vocabulary (the first fifth of the lines, the 1000 most frequent
#      words by a min-count found from the counts), against NS and HS on the same text and
#      vocabulary and fastText's -loss softmax (cbow, -minn 0 -maxn 0, same min-count), all CBOW;
#   3. the CBOW projection: mean, sum, concatenation (NS);
#   4. L2 weight decay lambda in 0, 1e-3, 1e-2, 1e-1 (CBOW and skip-gram NS) with the mean input-vector norm;
#   5. incremental: train on the first half of the lines, `update` with the second half, against
#      training on both halves from scratch (CBOW NS).
# BIN=path/to/word2vec skips the build; WORKDIR (default data/open-questions-work) holds the files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
KIND=${1:-small}
EPOCHS=${2:-3}
WORK=${WORKDIR:-data/open-questions-work}
mkdir -p "$WORK"
BIN=${BIN:-$(Scripts/build.sh)}
CORPUS=${CORPUS:-$(Scripts/fetch-corpus.sh "$KIND")}
QUESTIONS=../shared/data/questions-words.txt
WORDSIM=../shared/data/wordsim353.tsv
if [ ! -f "$QUESTIONS" ] || [ ! -f "$WORDSIM" ]; then
  DATA=$(python3 -c 'from gensim.test.utils import datapath; print(datapath(""))')
  QUESTIONS=$DATA/questions-words.txt
  WORDSIM=$DATA/wordsim353.tsv
fi
TOKENS=$(wc -w < "$CORPUS" | tr -d ' ')
echo "corpus: $CORPUS, $TOKENS tokens; $EPOCHS epochs; $(date -u '+%Y-%m-%d %H:%M UTC')"

# vectors -> "analogy% covered rho pairs"
evaluate() {
  "$BIN" evaluate analogies "$1" "$QUESTIONS" --restrict 30000 --json > "$WORK/analogy.json"
  "$BIN" evaluate similarity "$1" "$WORDSIM" --json > "$WORK/similarity.json"
  python3 - "$WORK/analogy.json" "$WORK/similarity.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["total"]
s = json.load(open(sys.argv[2]))
print("%.2f %d %.3f %d" % (100 * t["accuracy"], t["correct"] + t["incorrect"], s["spearman"] or 0, s["pairs"]))
PY
}

# name, vectors, seconds, epochs -> one table row
row() {
  local name=$1 vectors=$2 seconds=$3 epochs=$4
  read -r accuracy covered rho pairs < <(evaluate "$vectors")
  local rate
  rate=$(python3 -c "print('%.0f' % ($epochs * $TOKENS / $seconds))")
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$accuracy" "$covered" "$rho" "$pairs" "$rate" "$seconds"
}

header() {
  echo
  echo "$1"
  echo
  echo "| run | analogy % | covered | rho | pairs | words/s | seconds |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
}

COMMON=(--dim 100 --window 5 --sample 1e-4 --min-count 5 --threads 2 --seed 1 --quiet)
# train NAME EPOCHS OPTIONS... -> trains into $WORK/NAME.bin and prints its row
train() {
  local name=$1 epochs=$2
  shift 2
  local t0 t1
  t0=$(date +%s.%N)
  "$BIN" train --input "$CORPUS" --output "$WORK/$name.bin" --binary "${COMMON[@]}" --epochs "$epochs" "$@"
  t1=$(date +%s.%N)
  row "$name" "$WORK/$name.bin" "$(python3 -c "print('%.1f' % ($t1 - $t0))")" "$epochs"
}

header "### 1. Objectives"
for model in cbow skipgram; do
  train "$model-ns" "$EPOCHS" --model "$model" --negative 5 --save-model "$WORK/$model-ns.w2v"
  train "$model-hs" "$EPOCHS" --model "$model" --hs --negative 0
  train "$model-hs+ns" "$EPOCHS" --model "$model" --hs --negative 5
done

# The softmax is slow (fastText's most of all), so this table uses the first fifth of the lines, and
# the min-count that keeps its 1000 most frequent words (ties may keep a few more or fewer).
lines=$(wc -l < "$CORPUS")
head -n $((lines / 5)) "$CORPUS" > "$WORK/fifth.txt"
FIFTH_TOKENS=$(wc -w < "$WORK/fifth.txt" | tr -d ' ')
SMALL=$(tr -s ' ' '\n' < "$WORK/fifth.txt" | grep -v '^$' | sort | uniq -c | sort -rn | sed -n '1000p' | awk '{print $1}')
SOFTMAX_EPOCHS=$(( EPOCHS < 2 ? EPOCHS : 2 ))
header "### 2. Full softmax: first fifth of the corpus ($FIFTH_TOKENS tokens), words seen at least $SMALL times, CBOW, $SOFTMAX_EPOCHS epochs"
small=(--model cbow --min-count "$SMALL")
softmax_row() {  # name, seconds of a run on the fifth
  row "$1" "$WORK/$1.$2" "$3" "$(python3 -c "print($SOFTMAX_EPOCHS * $FIFTH_TOKENS / $TOKENS)")"
}
for objective in ns hs softmax; do
  case $objective in
    ns) opts=(--negative 5) ;;
    hs) opts=(--hs --negative 0) ;;
    softmax) opts=(--loss softmax) ;;
  esac
  t0=$(date +%s.%N)
  "$BIN" train --input "$WORK/fifth.txt" --output "$WORK/cbow-$objective-small.bin" --binary "${COMMON[@]}" \
    --epochs "$SOFTMAX_EPOCHS" "${small[@]}" "${opts[@]}"
  t1=$(date +%s.%N)
  softmax_row "cbow-$objective-small" bin "$(python3 -c "print('%.1f' % ($t1 - $t0))")"
done
if command -v fasttext > /dev/null; then
  t0=$(date +%s.%N)
  fasttext cbow -input "$WORK/fifth.txt" -output "$WORK/fastText-softmax-small" -dim 100 -ws 5 -t 1e-4 -minCount "$SMALL" \
    -epoch "$SOFTMAX_EPOCHS" -thread 2 -lr 0.05 -loss softmax -minn 0 -maxn 0 -verbose 0 > /dev/null
  t1=$(date +%s.%N)
  softmax_row "fastText-softmax-small" vec "$(python3 -c "print('%.1f' % ($t1 - $t0))")"
fi

header "### 3. CBOW projection (NS)"
echo "| cbow-mean | (= cbow-ns above) | | | | | |"
train "cbow-sum" "$EPOCHS" --model cbow --negative 5 --cbow-sum
train "cbow-concat" "$EPOCHS" --model cbow --negative 5 --cbow-concat

header "### 4. L2 weight decay (NS; lambda 0 is cbow-ns and skipgram-ns above)"
for lambda in 1e-3 1e-2 1e-1; do
  train "cbow-l2-$lambda" "$EPOCHS" --model cbow --negative 5 --l2 "$lambda" --save-model "$WORK/cbow-l2-$lambda.w2v"
  train "skipgram-l2-$lambda" "$EPOCHS" --model skipgram --negative 5 --l2 "$lambda" --save-model "$WORK/skipgram-l2-$lambda.w2v"
done
echo
echo "Mean Euclidean norm of the input vectors (all words; the 10 most frequent) and of the NS output rows:"
echo
echo "| run | input | input, top 10 | output |"
echo "|---|---:|---:|---:|"
for name in cbow-ns cbow-l2-1e-3 cbow-l2-1e-2 cbow-l2-1e-1 skipgram-ns skipgram-l2-1e-3 skipgram-l2-1e-2 skipgram-l2-1e-1; do
  python3 - "$WORK/$name.w2v" "$name" <<'PY'
import sys, struct, numpy as np
# docs/model-format.md: CONF holds the dimension; INPT and NSOF are float32 matrices.
data = open(sys.argv[1], 'rb').read()
count = struct.unpack_from('<I', data, 12)[0]
sections = {}
for i in range(count):
    tag, _, offset, length, _ = struct.unpack_from('<4sIQQQ', data, 64 + 32 * i)
    sections[tag.decode()] = data[offset:offset + length]
conf = dict(line.split('=', 1) for line in sections['CONF'].decode().split())
dim = int(conf['dimension'])
def norms(tag):
    return np.linalg.norm(np.frombuffer(sections[tag], dtype='<f4').reshape(-1, dim), axis=1)
inp, out = norms('INPT'), norms('NSOF')
print("| %s | %.3f | %.3f | %.3f |" % (sys.argv[2], inp.mean(), inp[:10].mean(), out.mean()))
PY
done

header "### 5. Incremental (CBOW NS): first half, then update with the second half, vs both from scratch"
head -n $((lines / 2)) "$CORPUS" > "$WORK/A.txt"
tail -n +$((lines / 2 + 1)) "$CORPUS" > "$WORK/B.txt"
t0=$(date +%s.%N)
"$BIN" train --input "$WORK/A.txt" --save-model "$WORK/A.w2v" --output "$WORK/A.bin" --binary "${COMMON[@]}" \
  --epochs "$EPOCHS" --model cbow --negative 5
t1=$(date +%s.%N)
"$BIN" update --model "$WORK/A.w2v" --input "$WORK/B.txt" --output "$WORK/AB-update.w2v" --vectors "$WORK/AB-update.bin" \
  --binary --quiet
t2=$(date +%s.%N)
row "first half only" "$WORK/A.bin" "$(python3 -c "print('%.1f' % ($t1 - $t0))")" "$(python3 -c "print($EPOCHS * $(wc -w < "$WORK/A.txt") / $TOKENS)")"
row "first half + update(second half)" "$WORK/AB-update.bin" "$(python3 -c "print('%.1f' % ($t2 - $t1))")" "$(python3 -c "print($EPOCHS * $(wc -w < "$WORK/B.txt") / $TOKENS)")"
echo "| both halves from scratch | (= cbow-ns above) | | | | | |"
