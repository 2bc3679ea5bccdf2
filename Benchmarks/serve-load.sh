#!/usr/bin/env bash
# Load and fault test of `word2vec serve` (issue 26, item 5), on 127.0.0.1 only, bounded in time:
#   1. wrk at 64 connections for 60 s against GET /v1/similar (a random row's word each request),
#   2. the same against POST /v1/recommend (a history of 3 random rows),
#   3. a reload under load: GET /v1/similar for 30 s while the model file is replaced atomically
#      (a copy renamed over it) and the server told so (SIGHUP); skipped when this build's serve
#      has no reload (its --help names neither SIGHUP nor --watch).
# Each run must end with zero non-2xx answers and zero socket errors (timeouts included: a request
# unanswered after TIMEOUT seconds counts as failed); the
# server's resident memory is printed before and after every run. Prints a summary table (markdown,
# for docs/serving.md) and exits non-zero on any failed request.
#
#   Benchmarks/serve-load.sh [BINARY]      (default: Scripts/build.sh's release build)
#
# Environment: ROWS (400000), DIM (300), CONNECTIONS (64), DURATION (60), RELOAD_DURATION (30),
# THREADS (wrk threads, 2), TIMEOUT (wrk's, 30 s), WORK (data/serve-load), INDEX (auto: the HNSW
# index, built once beside the model; exact: every row). The vectors are ann.py's clustered Gaussian
# mixture (seed 1), made with the project's venv Python (numpy) and converted to a model file once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
binary=${1:-$(Scripts/build.sh)}
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
rows=${ROWS:-400000}
dim=${DIM:-300}
connections=${CONNECTIONS:-64}
duration=${DURATION:-60}
reload_duration=${RELOAD_DURATION:-30}
threads=${THREADS:-2}
timeout=${TIMEOUT:-30}
work=${WORK:-data/serve-load}
python=.build/venv/bin/python
[ -x "$python" ] || python=python3
command -v wrk >/dev/null || { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; } >&2
mkdir -p "$work"
model="$work/mixture-${rows}x${dim}.w2v"

if [ ! -f "$model" ]; then
  echo "== generating $rows x $dim clustered vectors (Benchmarks/ann.py's mixture) -> $model" >&2
  "$python" - "$rows" "$dim" "$work/vectors.bin" <<'PY'
import sys
sys.path.insert(0, "Benchmarks")
import ann
rows, dim, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ann.write_word2vec_binary(path, [f"r{i}" for i in range(rows)], ann.mixture(rows, dim, 1000, seed=1))
PY
  "$binary" convert "$work/vectors.bin" --to model --output "$model"
  rm -f "$work/vectors.bin"
fi
# Served as a user would serve this many rows: with the HNSW index beside the model, which serve's
# default --index auto searches (an exact search over 400k x 300 takes ~0.5 s a query on 2 cores).
# INDEX=exact serves without it.
if [ "${INDEX:-auto}" != exact ] && [ ! -f "$model.hnsw" ]; then
  echo "== building the HNSW index of $model (timed)" >&2
  /usr/bin/time -f "index: %e s, peak %M KB" "$binary" index "$model" >&2
fi

# wrk scripts: a random row's word per request, so that no answer is served from a warm cache.
cat > "$work/similar.lua" <<LUA
math.randomseed(1)
request = function()
  return wrk.format("GET", "/v1/similar?positive=r" .. math.random(0, $rows - 1) .. "&top=10")
end
LUA
cat > "$work/recommend.lua" <<LUA
math.randomseed(2)
request = function()
  local body = string.format('{"history":["r%d","r%d","r%d"],"top":10}',
    math.random(0, $rows - 1), math.random(0, $rows - 1), math.random(0, $rows - 1))
  return wrk.format("POST", "/v1/recommend", {["Content-Type"] = "application/json"}, body)
end
LUA

log="$work/serve.log"
"$binary" serve "$model" --host 127.0.0.1 --port 0 --index "${INDEX:-auto}" 2> "$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  grep -q 'http://127.0.0.1:' "$log" && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "serve exited before listening" >&2; exit 1; }
  sleep 0.1
done
port=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1 | sed 's/.*://')
[ -n "$port" ] || { cat "$log" >&2; echo "serve did not print its address" >&2; exit 1; }
base="http://127.0.0.1:$port"
echo "== serving $model at $base (pid $server)" >&2

rss() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }
summary="| run | requests | requests/s | p50 | p99 | non-2xx | socket errors (timeouts) | RSS before -> after (MiB) |
|---|---|---|---|---|---|---|---|"
failed=0

# One wrk run: prints its report, appends a summary row, counts failures. A valid request must get a
# 2xx answer, so any non-2xx or socket error (timeouts included) fails the script.
load() {
  local name=$1 script=$2 seconds=$3 before after report total requests p50 p99 non2xx errors timeouts
  before=$(rss)
  report=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout "${timeout}s" --latency -s "$script" "$base")
  after=$(rss)
  echo "$report" >&2
  total=$(echo "$report" | awk '/requests in/ { print $1 }')
  requests=$(echo "$report" | awk '/^Requests\/sec/ { print $2 }')
  p50=$(echo "$report" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$report" | awk '$1 == "99%" { print $2 }')
  non2xx=$(echo "$report" | awk '/Non-2xx or 3xx responses/ { print $NF }')
  errors=$(echo "$report" | awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }')
  timeouts=$(echo "$report" | awk '/Socket errors/ { print $10 }')
  non2xx=${non2xx:-0}
  errors=${errors:-0}
  summary+=$'\n'"| $name | $total | $requests | $p50 | $p99 | $non2xx | $errors (${timeouts:-0}) | $before -> $after |"
  if [ "$non2xx" != 0 ] || [ "$errors" != 0 ]; then
    echo "FAILED: $name: $non2xx non-2xx answers, $errors socket errors" >&2
    failed=1
  fi
}

probe() {
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' "$@")
  [ "$status" = 200 ] || { echo "FAILED: $* answered HTTP $status" >&2; return 1; }
}

echo "== RSS at start: $(rss) MiB" >&2
probe "$base/v1/similar?positive=r1&top=10"
load "GET /v1/similar" "$work/similar.lua" "$duration"
if probe -X POST -H 'Content-Type: application/json' -d '{"history":["r1","r2"],"top":10}' "$base/v1/recommend"; then
  load "POST /v1/recommend" "$work/recommend.lua" "$duration"
else
  failed=1
fi

if "$binary" serve --help 2>&1 | grep -q -e SIGHUP -e --watch; then
  echo "== reload under load: replacing $model at ${reload_duration}/3 s into a ${reload_duration} s run" >&2
  (
    sleep $((reload_duration / 3))
    cp "$model" "$model.next"
    mv -f "$model.next" "$model"   # rename(2): readers see the old file or the new one, whole
    kill -HUP "$server"
    echo "== replaced and signalled at $(date +%T)" >&2
  ) &
  replacer=$!
  load "GET /v1/similar, reload" "$work/similar.lua" "$reload_duration"
  wait "$replacer"
  curl -s "$base/metrics" | grep -i generation >&2 || echo "(no generation in /metrics)" >&2
else
  echo "== reload under load: SKIPPED (this build's serve has no reload: neither SIGHUP nor --watch in its --help)" >&2
  summary+=$'\n'"| GET /v1/similar, reload | skipped: no reload in this build | | | | | | |"
fi

echo "== RSS at end: $(rss) MiB" >&2
echo "$summary"
exit "$failed"
