#!/usr/bin/env bash
# Builds the library's DocC documentation (Sources/Word2Vec/Word2Vec.docc plus the doc comments) from
# the release build's module, without the DocC plugin: `swift-symbolgraph-extract` reads the module
# that `swift build -c release` (or the tests) already made, so this costs seconds, not a debug build.
# The command reference (CommandReference.md) is generated from the built tool's own --help.
# DocC's warnings are printed; an unresolved link or symbol reference, the sign of documentation that
# has rotted, fails the run. Undocumented parameters are only shown.
#   Scripts/docs.sh [OUTPUT-DIR]   (default .build/docs; the archive is OUTPUT-DIR/Word2Vec.doccarchive)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
output=${1:-.build/docs}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

bin=$(swift build -c release --show-bin-path)
[ -f "$bin/Modules/Word2Vec.swiftmodule" ] && [ -x "$bin/word2vec" ] || swift build -c release --product word2vec
cp -RL Sources/Word2Vec/Word2Vec.docc "$work/Word2Vec.docc"
python3 Scripts/command-reference.py "$bin/word2vec" > "$work/Word2Vec.docc/CommandReference.md"
triple=$(swift -print-target-info | python3 -c 'import json, sys; print(json.load(sys.stdin)["target"]["triple"])')
mkdir -p "$work/symbols"
swift-symbolgraph-extract -module-name Word2Vec -I "$bin/Modules" -I Sources/CZlib \
  -Xcc -fmodule-map-file="$bin/CKernels.build/module.modulemap" -Xcc -I -Xcc Sources/CKernels/include -target "$triple" \
  -output-dir "$work/symbols" -minimum-access-level public
mkdir -p "$output"
docc convert "$work/Word2Vec.docc" --additional-symbol-graph-dir "$work/symbols" \
  --output-path "$output/Word2Vec.doccarchive" \
  --fallback-display-name Word2Vec --fallback-bundle-identifier swift-word2vec.Word2Vec 2>&1 | tee "$work/log"
if grep "warning:\|error:" "$work/log" | grep -v "is missing documentation"; then
  echo "docs: the documentation has the problems above" >&2
  exit 1
fi
echo "docs: $output/Word2Vec.doccarchive"
