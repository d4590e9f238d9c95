#!/bin/sh
# Training and sampling speed of the genhost U-Net against the same network in PyTorch
# (reference.py), on the model of examples/ddpm-fashion.yaml. Usage, from the repo root:
#   bench/unet/run.sh [BUILD_DIR] [CHECKPOINT]
# BUILD_DIR defaults to build; CHECKPOINT (for DDIM-50 sampling of 64 images) defaults to
# runs/ddpm-fashion/checkpoint.safetensors. Prints images/s and seconds, one line each.
set -eu
build=${1:-build}
checkpoint=${2:-runs/ddpm-fashion/checkpoint.safetensors}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
: "${OPENBLAS_CORETYPE:=SkylakeX}"   # see docs/engine.md: OpenBLAS misdetects some CPUs
export OPENBLAS_CORETYPE
model='{base_channels: 16, channel_mult: [1, 2, 2], layers_per_block: 1, attention_resolutions: [7], attention_head_dim: 16, norm_num_groups: 8}'
steps=${STEPS:-20}

for threads in 1 2; do
  cat > "$out/train.yaml" <<YAML
seed: 0
threads: $threads
data: {dataset: fashion-mnist, batch_size: 64, range: [-1, 1], shuffle: false}
model: {plugin: unet, params: $model}
scheduler: {plugin: ddpm}
train: {steps: $((steps + 5)), log_every: 5, checkpoint_every: 0, optimizer: {type: adam, lr: 2e-4}}
YAML
  "$build/bin/genhost" run "$out/train.yaml" --output "$out/t$threads" --quiet > /dev/null
  # Skip the first 5 steps (warm-up: allocations, page faults); rate over the rest.
  awk -F, -v t="$threads" -v n="$steps" 'NR==2{s0=$NF} END{printf "genhost threads=%s train %.1f images/s (batch 64, %d steps)\n", t, n*64/($NF-s0), n}' "$out/t$threads/train_log.csv"
  /usr/bin/python3 bench/unet/reference.py --threads "$threads" --steps "$steps"
done

if [ -f "$checkpoint" ]; then
  for threads in 1 2; do
    cat > "$out/sample.yaml" <<YAML
seed: 0
threads: $threads
model: {plugin: unet, checkpoint: $(realpath "$checkpoint"), params: $model}
scheduler: {plugin: ddpm}
sample: {count: 64, scheduler: {plugin: ddim, params: {num_inference_steps: 50}}}
YAML
    start=$(date +%s.%N)
    "$build/bin/genhost" run "$out/sample.yaml" --output "$out/s$threads" --quiet > /dev/null
    end=$(date +%s.%N)
    echo "genhost threads=$threads sample 64 images DDIM-50: $(echo "$end - $start" | bc) s (whole run, incl. start-up)"
    /usr/bin/python3 bench/unet/reference.py --threads "$threads" --steps 1 --sample 64 --ddim-steps 50 | tail -1
  done
fi
