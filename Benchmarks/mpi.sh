#!/usr/bin/env bash
# Data-parallel training over MPI against one process with the same total threads, on one machine
# (docs/distributed.md):
#   one process x 2 threads  |  mpirun -np 2 x 1 thread  |  mpirun -np 4 x 1 thread (oversubscribed)
# Each configuration trains on data/corpus-small.txt (Scripts/fetch-corpus.sh small; CORPUS=bench for
# data/corpus-bench.txt, 5.1M words) once per seed;
# the script prints each run's wall time, analogy accuracy (questions-words.txt) and the time spent
# in weight rounds, then the means and the ratios against one process. Timings are as noisy as the
# machine is busy: compare runs made together.
#   Benchmarks/mpi.sh [seeds (default 3)] [extra train options for every run...]
#   MPI_OPTIONS="--sync-words 20000" Benchmarks/mpi.sh     (options for the MPI runs only)
#   MPI_RANKS="2" Benchmarks/mpi.sh                         (rank counts to run, default "2 4")
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seeds=${1:-3}
shift || true
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Ranks waiting in a round yield the core (4 ranks share 2 cores here).
export OMPI_MCA_mpi_yield_when_idle=1
corpus=$(Scripts/fetch-corpus.sh "${CORPUS:-small}")
questions=${QUESTIONS:-$(cd .. && pwd)/shared/data/questions-words.txt}
[ -f "$questions" ] || questions=data/questions-words.txt
[ -f "$questions" ] || { echo "mpi.sh: questions-words.txt not found (set QUESTIONS)" >&2; exit 1; }
mpi=$(Scripts/build-mpi.sh)
swift build -c release --product word2vec >&2
single=.build/release/word2vec
work=$(mktemp -d "${TMPDIR:-/tmp}/mpi-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

run() { # label seed command...
  local label=$1 seed=$2; shift 2
  local start end
  start=$(date +%s.%N)
  "$@" --input "$corpus" --output "$work/v.bin" --binary --seed "$seed" "${extra[@]}" > "$work/log" 2>&1 \
    || { cat "$work/log" >&2; exit 1; }
  end=$(date +%s.%N)
  local accuracy rounds
  accuracy=$("$single" evaluate analogies "$work/v.bin" "$questions" | sed -n 's/^total: \([0-9.]*\)%.*/\1/p')
  rounds=$(sed -n 's/^synchronisation: //p' "$work/log")
  printf '%-16s seed %s  %6.1f s  %6.2f %%  %s\n' "$label" "$seed" "$(echo "$end - $start" | bc)" "$accuracy" "$rounds"
  echo "$label $(echo "$end - $start" | bc) $accuracy" >> "$work/results"
}
extra=("$@")
for seed in $(seq "$seeds"); do
  run 1proc-2threads "$seed" "$single" train --threads 2 --quiet
  for ranks in ${MPI_RANKS:-2 4}; do
    run ${ranks}ranks-1thread "$seed" mpirun --oversubscribe --bind-to none -np "$ranks" "$mpi" train --threads 1 ${MPI_OPTIONS:-}
  done
done
awk '{ label = $1; time[label] += $2; acc[label] += $3; n[label]++ }
  END {
    base = "1proc-2threads"; bt = time[base] / n[base]; ba = acc[base] / n[base]
    for (l in n) printf "mean %-16s %6.1f s (x%.2f)  %6.2f %% (%+.2f points)\n", l, time[l] / n[l], time[l] / n[l] / bt, acc[l] / n[l], acc[l] / n[l] - ba
  }' "$work/results" | sort
