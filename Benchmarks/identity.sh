#!/usr/bin/env bash
# Checks that two builds train bit-identical models: every architecture x objective of `train`, the
# paragraph-vector modes, `items train` and `update`, each at --threads 1 on the same text, compared
# with cmp on the written vectors and the model file. For refactors that must not change behaviour.
#
#   Benchmarks/identity.sh OLD_BINARY NEW_BINARY [CORPUS]
#
# CORPUS defaults to the first 1.5 MB of Scripts/fetch-corpus.sh small. Prints one line per
# configuration and exits non-zero if any differs. About 4 minutes on 2 quiet cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
old=$1 new=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/identity.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ $# -ge 3 ]; then
  head -c 1500000 "$3" > "$work/text.txt"
else
  head -c 1500000 "$(Scripts/fetch-corpus.sh small)" > "$work/text.txt"
fi
head -c 500000 "$work/text.txt" > "$work/more.txt"
# Item sequences: the text's words stand for items.
head -n 3000 "$work/text.txt" > "$work/items.txt"

common=(--threads 1 --quiet --dim 24 --epochs 2 --min-count 5 --seed 7)
failed=0
# check NAME ARGS...: runs both binaries with ARGS, in which @ stands for $work/old or $work/new,
# and compares the @.vec and @.w2v they write.
check() {
  local name=$1; shift
  for side in old new; do
    local binary=${!side}
    "$binary" "${@//@/$work/$side}" > /dev/null
  done
  if cmp -s "$work/old.vec" "$work/new.vec" && cmp -s "$work/old.w2v" "$work/new.w2v"; then
    echo "identical  $name"
  else
    echo "DIFFERENT  $name"
    failed=1
  fi
}

for model in "--model cbow" "--model cbow --cbow-sum" "--model cbow --cbow-concat --window 2" \
             "--model skipgram" "--model skipgram --shared-negatives"; do
  for loss in "--negative 5" "--hs --negative 0" "--hs --negative 3" "--loss softmax --max-vocab 500"; do
    [[ $model == *shared* && $loss != *negative\ [35]* ]] && continue
    for l2 in "" "--l2 0.001"; do
      # shellcheck disable=SC2086
      check "train $model $loss $l2" train --input "$work/text.txt" "${common[@]}" $model $loss $l2 \
        --output @.vec --save-model @.w2v
    done
  done
done
for mode in "dbow" "dbow --dbow-words" "dm-mean" "dm-sum" "dm-concat --window 2"; do
  for loss in "--negative 5" "--hs --negative 0"; do
    # shellcheck disable=SC2086
    check "doc2vec --mode $mode $loss" doc2vec train --input "$work/more.txt" "${common[@]}" --mode $mode $loss \
      --output @.vec --save-model @.w2v
  done
done
check "items train" items train --input "$work/items.txt" --threads 1 --quiet --dim 16 --epochs 2 --seed 3 \
  --output @.vec --save-model @.w2v
check "update (its base)" train --input "$work/more.txt" "${common[@]}" --output @.vec --save-model @.w2v
for side in old new; do mv "$work/$side.w2v" "$work/$side.base.w2v"; done
check "update" update --model @.base.w2v --input "$work/text.txt" --quiet --epochs 1 --output @.w2v --vectors @.vec
exit $failed
