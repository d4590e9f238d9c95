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
cmake --build "$BUILD" --target engine_bench engine_memory_step -j2 > /dev/null
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
  awk '/^#/{next} !($1 in w) {order[++n]=$1; w[$1]=$2; c[$1]=$3}
       $2 < w[$1] {w[$1]=$2} $3 < c[$1] {c[$1]=$3}
       END{for (i=1;i<=n;i++) printf "%s %.3f %.3f\n", order[i], w[order[i]], c[order[i]]}' "$f" > "$f.best"
  grep '^#' "$f" | tail -3 > "$f.notes" || true
  mv "$f.best" "$f"
done
echo "# OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-<auto>}, $ROUNDS rounds x $REPS reps: best median per layer, ms of forward + backward (input and weight grads)"
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(date -u +%Y-%m-%d), torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E 'sgemm|busy' "$TMP/engine_1.notes" | sed 's/^#/# 1 thread:/' || true
grep -E 'sgemm|busy' "$TMP/engine_2.notes" | sed 's/^#/# 2 threads:/' || true
echo "# peak memory growth over three training steps (DCGAN critic, batch 128, 1 thread): engine $("$BUILD/bin/engine_memory_step" | awk '{printf "%.1f MB", $2}'), torch $(/usr/bin/python3 "$ROOT/bench/engine/memory_step.py" | awk '{printf "%.1f MB", $2}')"
echo "# 1t cpu: process CPU time at 1 thread (robust to other load); wall: elapsed time."
echo "# speedup = torch / engine: 1t cpu vs 1t cpu, and best wall (1 or 2 threads) vs best wall."
printf "%-22s %9s %9s %8s %9s %9s %9s %9s %8s\n" layer "eng 1t" "torch 1t" "1t cpu" "eng 1t" "eng 2t" "torch 1t" "torch 2t" "best"
printf "%-22s %9s %9s %8s %9s %9s %9s %9s %8s\n" "" "cpu ms" "cpu ms" speedup "wall ms" "wall ms" "wall ms" "wall ms" speedup
while read -r name _; do
  v() { awk -v n="$name" -v k="$2" '$1==n{print $k}' "$TMP/$1"; }
  awk -v n="$name" -v ec="$(v engine_1 3)" -v tc="$(v torch_1 3)" -v e1="$(v engine_1 2)" -v e2="$(v engine_2 2)" \
      -v t1="$(v torch_1 2)" -v t2="$(v torch_2 2)" 'BEGIN{
    e=(e1<e2)?e1:e2; t=(t1<t2)?t1:t2
    printf "%-22s %9.2f %9.2f %7.2fx %9.2f %9.2f %9.2f %9.2f %7.2fx\n", n, ec, tc, tc/ec, e1, e2, t1, t2, t/e }'
done < "$TMP/torch_1"
