#!/usr/bin/env bash
# Builds the tool for this CPU, fetches a small real English corpus (the King James and World English
# Bibles, from Debian packages), trains skip-gram vectors on it and prints the nearest neighbours of a
# few words from the saved model file, then how to open them in the browser.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

word2vec=$(Scripts/build.sh)
corpus=$(Scripts/fetch-corpus.sh small)
mkdir -p data
"$word2vec" train --input "$corpus" --output data/demo-vectors.bin --binary --save-model data/demo.w2v \
  --model skipgram --dim 100 --window 5 --negative 5 --sample 1e-4 --epochs 5 --min-count 5
for word in king water god sword; do
  echo "== nearest to '$word'"
  "$word2vec" similar data/demo.w2v "$word" --top 8   # the model file: memory-mapped, no parsing
done
cat <<EOF

== see them in the browser: serve the model (Ctrl-C stops it), then open http://127.0.0.1:8080/?q=king
$word2vec serve data/demo.w2v
EOF
