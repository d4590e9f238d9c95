#!/bin/sh
# PixelCNN (examples/pixelcnn-fashion.yaml's network) against the same network in PyTorch
# (torch_pixelcnn.py), alternating so both see the same machine load:
#   training images/s at batch 32 (60 steps after the first), at 1 and 2 threads;
#   sampling 16 images: genhost's pixel loop (logits_at from the plugin's cache of
#   activations, and from the window with sample_cache=false) against PyTorch's plain loop
#   of 784 whole-image forward passes (PASSES of them timed, scaled to 784).
#   bench/pixelcnn/run.sh [build dir]     (default build; results in /tmp/pixelcnn-bench)
#   THREADS="1 2" ROUNDS=2 STEPS=60 PASSES=784 SAMPLE=1 SAMPLE_ROUNDS=1   (the defaults;
#   SAMPLE=0: training only; ROUNDS=0 SAMPLE=1: sampling only)
set -e
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
OUT=/tmp/pixelcnn-bench
mkdir -p $OUT
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq ${ROUNDS:-2}); do
  for t in ${THREADS:-1 2}; do
    /usr/bin/python3 bench/pixelcnn/torch_pixelcnn.py --train-steps ${STEPS:-60} --threads $t | sed "s/^/round $r: /"
    $BUILD/bin/genhost run bench/pixelcnn/train-speed.yaml --set train.steps=${STEPS:-60} --set train.log_every=$(( ${STEPS:-60} / 3 )) --threads $t --quiet --overwrite -o $OUT/train-t$t > /dev/null 2>&1
    echo "round $r: {\"what\": \"train\", \"framework\": \"genhost\", \"threads\": $t, \"images_per_s\": $(tail -1 $OUT/train-t$t/train_log.csv | cut -d, -f7)}"
  done
done
[ "${SAMPLE:-1}" = 0 ] && exit 0
# Sampling, alternating PyTorch, genhost with the cache and genhost on the window only
# (sample_cache=false) in each round, each line with the load average of its minute.
for r in $(seq ${SAMPLE_ROUNDS:-1}); do
  for t in ${THREADS:-1 2}; do
    echo "round $r, load $(cut -d' ' -f1 /proc/loadavg): $(/usr/bin/python3 bench/pixelcnn/torch_pixelcnn.py --sample 16 --passes ${PASSES:-784} --threads $t)"
    for cache in true false; do
      $BUILD/bin/genhost run bench/pixelcnn/sample-speed.yaml --threads $t --set model.params.sample_cache=$cache \
        --overwrite -o $OUT/sample-t$t-$cache > $OUT/sample-t$t-$cache.log 2>&1
      echo "round $r, load $(cut -d' ' -f1 /proc/loadavg): genhost threads $t, sample_cache $cache: $(grep -ao 'sample: [0-9]* images in [0-9.]* s' $OUT/sample-t$t-$cache.log)"
    done
  done
done
