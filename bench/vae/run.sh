#!/bin/sh
# The VAE quickstart against PyTorch: throughput at 1 and 2 threads (one epoch each, then
# 300 steps each, alternating so both see the same machine load), then 10 epochs of each
# for the test ELBO. Needs the targets genhost, vae and vae_step_bench built.
#   bench/vae/run.sh [build dir]          (default build-vae; results in /tmp/vae-bench)
#   THREADS="1 2" FULL=1 FULL_THREADS=1   (the defaults)
set -e
cd "$(dirname "$0")/../.."
BUILD=${1:-build-vae}
OUT=/tmp/vae-bench
mkdir -p $OUT
for t in ${THREADS:-1 2}; do
  /usr/bin/python3 bench/vae/torch_vae.py --epochs 1 --threads $t | tail -1 > $OUT/torch-t$t.json
  $BUILD/bin/genhost run examples/quickstart.yaml --set train.epochs=1 --set sample.count=8 --threads $t \
    -o $OUT/genhost-t$t > $OUT/genhost-t$t.log 2>&1
  echo "threads $t: torch $(cat $OUT/torch-t$t.json)"
  echo "threads $t: genhost $(grep -o '[0-9]* img/s' $OUT/genhost-t$t.log | tail -1) (last progress line)"
done
# One training step timed in CPU and wall time, 300 steps after 20 warm-up, alternating.
for t in ${THREADS:-1 2}; do
  /usr/bin/python3 bench/vae/torch_vae.py --step-bench 300 --threads $t
  $BUILD/bin/vae_step_bench 300 $t
done
# 10 epochs for the ELBO: FULL=0 skips them, FULL_THREADS sets the threads of both.
T=${FULL_THREADS:-1}
if [ "${FULL:-1}" = 1 ]; then
  /usr/bin/python3 bench/vae/torch_vae.py --epochs 10 --threads $T | tee $OUT/torch-full.log | tail -1
  $BUILD/bin/genhost run bench/vae/quickstart-elbo.yaml --threads $T -o $OUT/genhost-full 2>&1 | tee $OUT/genhost-full.log | grep -E "evaluate|train:"
fi
