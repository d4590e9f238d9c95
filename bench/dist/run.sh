#!/bin/sh
# Data parallelism on this machine: one process with 2 threads against 2 ranks with 1
# thread each (and one process with 1 thread), at the same global batch, alternating so
# that all see the same load. Models: the quickstart's VAE (global batch 128) and
# ddpm-fashion's U-Net (global batch 32). Prints training images/s over the last
# logging interval and, for 2 ranks, the share of time in allreduce.
#   bench/dist/run.sh [build dir]          (default build; runs in /tmp/dist-bench)
#   ROUNDS=2 VAE_STEPS=400 UNET_STEPS=60   (the defaults)
set -e
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
G=$BUILD/bin/genhost
OUT=/tmp/dist-bench
mkdir -p $OUT
MPIRUN="mpirun --allow-run-as-root --oversubscribe --bind-to none"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), load average $(cut -d' ' -f1-3 /proc/loadavg)"

rate() {  # images/s of the last row of a train_log.csv
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "images_per_s") c = i } END { printf "%.0f", $c }' "$1"
}
bench() {  # model pipeline steps global_batch
  model=$1 pipeline=$2 steps=$3 batch=$4
  every=$(( steps / 4 ))
  common="--set train.steps=$steps --set train.log_every=$every --set train.checkpoint_every=0 --overwrite"
  $G run $pipeline $common --set data.batch_size=$batch --threads 1 -q -o $OUT/$model-1x1
  echo "$model  1 process  x 1 thread : $(rate $OUT/$model-1x1/train_log.csv) images/s"
  $G run $pipeline $common --set data.batch_size=$batch --threads 2 -q -o $OUT/$model-1x2
  echo "$model  1 process  x 2 threads: $(rate $OUT/$model-1x2/train_log.csv) images/s"
  line=$($MPIRUN -np 2 $G run $pipeline $common --set data.batch_size=$(( batch / 2 )) --threads 1 -o $OUT/$model-2x1 2>/dev/null | grep '^train: ')
  echo "$model  2 ranks    x 1 thread : $(rate $OUT/$model-2x1/train_log.csv) images/s  ($(echo "$line" | grep -o '[0-9]*% of the time in allreduce'))"
}
for r in $(seq ${ROUNDS:-2}); do
  echo "## round $r"
  bench vae bench/dist/vae.yaml ${VAE_STEPS:-400} 128
  bench unet bench/dist/unet.yaml ${UNET_STEPS:-60} 32
done
