#!/usr/bin/env bash
# Long fuzzing run of every file reader (Tests/Word2VecTests/Fuzzing): the same seeded tests that
# `swift test` runs briefly, with many more cases, each reader in its own process so that a crash
# (a Swift trap) is reported with its input and the run resumes after it.
#
#   Benchmarks/fuzz.sh [cases per reader, default 100000] [seed, default 0x5EED0009]
#
# Environment: SCRATCH (build directory, default .build-fuzz), READERS (space-separated test names:
# a bare name is in ReaderFuzzTests, Suite/test another suite, e.g. ModelFuzzTests/plainMutants;
# default all), MAX_CRASHES per reader before giving up on it (default 10).
# Prints one line per reader (cases, accepted, rejected with Word2VecError, other outcomes, crashes)
# and keeps each crashing input as $WORK/crash-<reader>-<case>.<ext>. Exit status 1 if any reader
# crashed or produced another outcome.
set -u
cd "$(dirname "$0")/.."
CASES=${1:-100000}
SEED=${2:-0x5EED0009}
SCRATCH=${SCRATCH:-.build-fuzz}
MAX_CRASHES=${MAX_CRASHES:-10}
READERS=${READERS:-"vectorTextReader vectorBinaryReader headerlessVectorReader vocabularyReader analogyQuestionsReader wordPairsReader corpusTokenReader ModelFuzzTests/plainMutants ModelFuzzTests/resealedMutants EventsFuzzTests/typedHeaderTimeOrdered EventsFuzzTests/namedCommaColumnsSkippingBadRows EventsFuzzTests/numberedColumnsWithoutTime DocumentFuzzTests/documentReader HistoriesFuzzTests/historiesReader HistoriesFuzzTests/sequencesReader"}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/word2vec-fuzz.XXXXXX")

swift build -c release --scratch-path "$SCRATCH" --build-tests >"$WORK/build.log" 2>&1 \
    || { echo "build failed, see $WORK/build.log"; exit 2; }

status=0
echo "seed $SEED, $CASES cases per reader, crash inputs in $WORK"
for reader in $READERS; do
    # A bare name is a test of ReaderFuzzTests; Suite/test names another suite's fuzz test.
    case "$reader" in */*) filter=$reader ;; *) filter="ReaderFuzzTests/$reader" ;; esac
    start=0 cases=0 accepted=0 rejected=0 other=0 crashes=0 name=""
    begun=$(date +%s)
    while [ "$start" -lt "$CASES" ]; do
        log="$WORK/${reader//\//-}.log"
        rm -f "$WORK"/*.index
        WORD2VEC_FUZZ_CASES=$((CASES - start)) WORD2VEC_FUZZ_START=$start WORD2VEC_FUZZ_SEED=$SEED \
            WORD2VEC_FUZZ_DIR="$WORK" \
            swift test -c release --scratch-path "$SCRATCH" --skip-build \
            --filter "$filter" >"$log" 2>&1
        summary=$(grep -m1 -E '^fuzz [a-z-]+: [0-9]+ cases' "$log")
        if [ -n "$summary" ]; then
            name=$(sed -E 's/^fuzz ([a-z-]+):.*/\1/' <<<"$summary")
            read -r c a r o < <(sed -E 's/^fuzz [a-z-]+: ([0-9]+) cases, ([0-9]+) accepted, ([0-9]+) rejected[^,]*, ([0-9]+) other.*/\1 \2 \3 \4/' <<<"$summary")
            cases=$((cases + c)) accepted=$((accepted + a)) rejected=$((rejected + r)) other=$((other + o))
            [ "$o" -gt 0 ] && { status=1; grep -E '^  case [0-9]+:' "$log" | sed "s/^/    $reader /"; }
            break
        fi
        # No summary: the process died inside a case. The harness wrote that case's index and bytes.
        crashed_name=$(ls "$WORK"/*.index 2>/dev/null | head -1 | xargs -r basename | sed 's/\.index$//')
        if [ -z "$crashed_name" ]; then echo "$reader: test did not start, see $log"; status=1; break; fi
        read -r crashed a r o < "$WORK/$crashed_name.index"
        accepted=$((accepted + a)) rejected=$((rejected + r)) other=$((other + o))
        input=$(ls "$WORK/$crashed_name".* | grep -v '\.index$' | head -1)
        kept="$WORK/crash-$crashed_name-$crashed.${input##*.}"
        cp "$input" "$kept"
        signal=$(grep -m1 -E 'Fatal error|fatal error|Signal [0-9]+|signal code [0-9]+' "$log" | grep -oE 'Fatal error.*|fatal error.*|Signal [0-9]+|signal code [0-9]+' || true)
        echo "    $reader: CRASH at case $crashed (seed $SEED), input $kept: ${signal:-see $log}"
        crashes=$((crashes + 1)) status=1
        cases=$((cases + crashed - start + 1))
        start=$((crashed + 1))
        [ "$crashes" -ge "$MAX_CRASHES" ] && { echo "    $reader: stopping after $crashes crashes"; break; }
    done
    printf '%-24s %7d cases %7d accepted %7d rejected %3d other %3d crashes  (%ds)\n' \
        "${name:-$reader}" "$cases" "$accepted" "$rejected" "$other" "$crashes" $(( $(date +%s) - begun ))
done
exit $status
