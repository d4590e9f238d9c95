#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a time budget,
# starting from its committed corpus (tests/fuzz/corpus/<target>/). New inputs go to a
# temporary folder, so the committed corpus only changes when you merge on purpose
# (README.md). Exit 1 when a target finds a crash; the input is kept in the build folder.
#
#   tests/fuzz/run.sh                       every target, 60 s each
#   tests/fuzz/run.sh --seconds 10          the suite's budget (the CTest test `fuzz`)
#   tests/fuzz/run.sh png idx               some targets
#   tests/fuzz/run.sh --build DIR --jobs N  where to build, how many compile jobs (default 2)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=60
build="$here/../../build-fuzz"
jobs=2
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(pipeline safetensors idx npy png)

command -v clang++ >/dev/null || { echo "run.sh: clang++ not found; scripts/setup.sh installs it" >&2; exit 1; }
mkdir -p "$build"
CC=clang CXX=clang++ cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 1; }
cmake --build "$build" -j"$jobs" >"$build/build.log" 2>&1 || { tail -50 "$build/build.log" >&2; exit 1; }

status=0
for t in "${targets[@]}"; do
  found=$(mktemp -d)
  echo "fuzz_$t: ${seconds} s from $(ls "$here/corpus/$t" | wc -l) corpus files"
  if ! "$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -artifact_prefix="$build/crash-$t-" -print_final_stats=1 "$found" "$here/corpus/$t" >"$build/fuzz_$t.log" 2>&1; then
    tail -60 "$build/fuzz_$t.log" >&2
    echo "fuzz_$t FOUND A CRASH: $(ls "$build"/crash-"$t"-* 2>/dev/null | tr '\n' ' ')" >&2
    echo "  reproduce: $build/fuzz_$t FILE; then add FILE as a regression test in the normal suite" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$build/fuzz_$t.log" | tr '\n' ' '; echo
  fi
  rm -rf "$found"
done
exit $status
