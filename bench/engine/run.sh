#!/bin/bash
# One command: builds the engine benchmark in build-engine (or $BUILD), runs it and
# PyTorch (Debian's, /usr/bin/python3) at 1 and 2 threads, and prints the best of each
# with the ratio torch_ms / engine_ms (> 1: the engine is faster).
#   bench/engine/run.sh [reps]        (ROUNDS=3 by default; BUILD=<build dir>)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-engine}
REPS=${1:-10}
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$BUILD" --target engine_bench -j2 > /dev/null
# OpenBLAS 0.3.21 does not know some new CPUs and falls back to SSE3 ("Prescott") kernels;
# name the right ones unless the caller did. Both sides get the same setting (torch's
# matmuls use the same OpenBLAS).
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Rounds alternate the two programs so that load from other processes hits both alike;
# each layer keeps its best (lowest) median over the rounds.
ROUNDS=${ROUNDS:-3}
for r in $(seq "$ROUNDS"); do
  for t in 1 2; do
    "$BUILD/bin/engine_bench" $t "$REPS" >> "$TMP/engine_$t"
    /usr/bin/python3 "$ROOT/bench/engine/bench_torch.py" $t "$REPS" >> "$TMP/torch_$t"
  done
done
for f in "$TMP"/engine_? "$TMP"/torch_?; do  # best over rounds, first-seen order
  awk '/^#/{next} !($1 in best) || $2 < best[$1] {if (!($1 in best)) order[++n]=$1; best[$1]=$2}
       END{for (i=1;i<=n;i++) printf "%-28s %9.3f\n", order[i], best[order[i]]}' "$f" > "$f.best"
  grep '^#' "$f" | tail -3 > "$f.notes" || true
  mv "$f.best" "$f"; cat "$f.notes" >> "$f"
done
echo "# OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<auto>}, reps $REPS, medians in ms of forward + backward (input and weight grads)"
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(date -u +%Y-%m-%d), torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
grep '^#' "$TMP/engine_1" | grep -E 'sgemm|busy' | sed 's/^#/# 1 thread:/' || true
grep '^#' "$TMP/engine_2" | sed 's/^#/# 2 threads:/' || true
printf "%-22s %10s %10s %10s %10s %7s\n" layer "eng 1t ms" "eng 2t ms" "torch 1t" "torch 2t" ratio
grep -v '^#' "$TMP/torch_1" | while read -r name _; do
  e1=$(awk -v n="$name" '$1==n{print $2}' "$TMP/engine_1"); e2=$(awk -v n="$name" '$1==n{print $2}' "$TMP/engine_2")
  t1=$(awk -v n="$name" '$1==n{print $2}' "$TMP/torch_1"); t2=$(awk -v n="$name" '$1==n{print $2}' "$TMP/torch_2")
  awk -v n="$name" -v e1="$e1" -v e2="$e2" -v t1="$t1" -v t2="$t2" 'BEGIN{
    e=(e1<e2)?e1:e2; t=(t1<t2)?t1:t2; printf "%-22s %10.2f %10.2f %10.2f %10.2f %6.2fx\n", n, e1, e2, t1, t2, t/e }'
done
