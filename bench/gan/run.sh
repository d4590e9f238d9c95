#!/bin/sh
# DCGAN (examples/dcgan-fashion.yaml's networks) against the same networks in PyTorch
# (dcgan_torch.py), alternating so both see the same machine load: training images/s at
# batch 64 (one discriminator and one generator update per 64 images), at 1 and 2 threads,
# over the last two thirds of STEPS steps on both sides.
#   bench/gan/run.sh [build dir]     (default build; genhost's runs in /tmp/gan-bench)
#   THREADS="1 2" ROUNDS=3 STEPS=60   (the defaults)
set -e
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
OUT=/tmp/gan-bench
STEPS=${STEPS:-60}
mkdir -p $OUT
# Both sides use the same OpenBLAS kernels (genhost sets this itself when unset).
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; fi
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD 2>/dev/null)"
for r in $(seq ${ROUNDS:-3}); do
  for t in ${THREADS:-1 2}; do
    /usr/bin/python3 bench/gan/dcgan_torch.py $STEPS --threads $t --speed | sed "s/^/round $r: /"
    $BUILD/bin/genhost run bench/gan/train-speed.yaml --set train.steps=$STEPS --set train.log_every=$(( STEPS / 3 )) --threads $t --quiet --overwrite -o $OUT/train-t$t > $OUT/train-t$t.log 2>&1
    echo "round $r: {\"what\": \"train\", \"framework\": \"genhost\", \"threads\": $t, \"images_per_s\": $(tail -1 $OUT/train-t$t/train_log.csv | awk -F, '{print $(NF-1)}')}"
  done
done
echo "# load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
