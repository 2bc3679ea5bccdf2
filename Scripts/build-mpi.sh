#!/usr/bin/env bash
# Builds word2vec-mpi (the MPI/ package: data-parallel training, docs/distributed.md) in release,
# installing Open MPI with apt-get where it is missing, and prints the binary's path.
# The main package never needs MPI; this is the only script that does.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v mpirun >/dev/null || ! pkg-config --exists ompi-c 2>/dev/null; then
  echo "build-mpi: installing Open MPI (openmpi-bin, libopenmpi-dev)" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openmpi-bin libopenmpi-dev pkg-config; } >&2
fi
(cd MPI && swift build -c release --product word2vec-mpi >&2)
echo "$PWD/MPI/.build/release/word2vec-mpi"
