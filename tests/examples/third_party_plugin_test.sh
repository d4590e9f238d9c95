#!/usr/bin/env bash
# The third-party example builds against the *installed* SDK, outside the tree, and
# genhost then lists and describes it through --plugin-path.
#   third_party_plugin_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/examples/third-party-plugin" -B "$work/plugin" -DCMAKE_PREFIX_PATH="$work/prefix" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/plugin" >/dev/null

genhost="$work/prefix/bin/genhost"
listing=$("$genhost" plugins --plugin-path "$work/plugin")
echo "$listing"
grep -q "com.example.noise *model" <<<"$listing"
# Output is captured before grep: `genhost ... | grep -q` fails under pipefail (SIGPIPE)
# once the output outgrows one stdio buffer and grep has stopped reading.
info=$("$genhost" info noise --plugin-path "$work/plugin")
grep -q "size  (integer, default 28, \[1, 1024\])" <<<"$info"
json=$("$genhost" plugins --json --plugin-path "$work/plugin")
grep -q '"id": "com.example.noise"' <<<"$json"

# Only the entry point is exported.
exports=$(nm -D --defined-only "$work/plugin/noise.so" | awk '{print $3}')
[ "$exports" = "genhost_entry" ] || { echo "unexpected exports: $exports"; exit 1; }
echo "third-party plugin: built against the installed SDK and loaded"
