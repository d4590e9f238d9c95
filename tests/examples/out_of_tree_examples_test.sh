#!/usr/bin/env bash
# The plain-C metric (examples/c-metric, a C-only CMake project) and the scheduler on the
# SDK's toolkit (examples/third-party-scheduler) build against the *installed* SDK,
# outside the tree; `genhost check` passes both, and the scheduler samples: a short run
# with the tests' oracle denoiser lands on the oracle's image.
#   out_of_tree_examples_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
genhost="$work/prefix/bin/genhost"
for example in c-metric third-party-scheduler; do
  cmake -S "$source/examples/$example" -B "$work/$example" -DCMAKE_PREFIX_PATH="$work/prefix" \
        -DCMAKE_BUILD_TYPE=Release >"$work/$example.log" 2>&1 || { cat "$work/$example.log"; exit 1; }
  cmake --build "$work/$example" >>"$work/$example.log" 2>&1 || { cat "$work/$example.log"; exit 1; }
done

# A C project never asks for a C++ compiler.
if grep -q "CMAKE_CXX_COMPILER:" "$work/c-metric/CMakeCache.txt"; then
  echo "examples/c-metric configured a C++ compiler"; exit 1
fi

"$genhost" check mean-pixel --plugin-path "$work/c-metric"
"$genhost" check simple-ddim --plugin-path "$work/third-party-scheduler"
"$genhost" info simple-ddim --plugin-path "$work/third-party-scheduler" | grep -q "beta_schedule"

cat >"$work/sample.yaml" <<YAML
name: simple-ddim-sample
model: {plugin: oracle-denoiser, params: {value: 0.5}}
scheduler: {plugin: simple-ddim}
data: {range: [-1, 1]}
sample: {count: 2, steps: 20}
YAML
"$genhost" run "$work/sample.yaml" --output "$work/run" --plugin-path "$work/third-party-scheduler" \
           --plugin-path "$build/tests/plugins/good" >"$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
python3 - "$work/run/samples.npy" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
header = 10 + (b[8] | b[9] << 8)
values = struct.unpack("<%df" % ((len(b) - header) // 4), b[header:])
worst = max(abs(v - 0.5) for v in values)
assert worst < 2e-3, "simple-ddim did not land on the oracle's image: off by %g" % worst
print("simple-ddim: %d values within %.1e of the oracle's image" % (len(values), worst))
PY
echo "out-of-tree examples: built against the installed SDK, checked, sampled"
