#!/usr/bin/env bash
# Installs everything genhost needs on Debian 12, from Debian's packages only.
# Idempotent and fast when everything is already there: apt is asked only for
# what is missing.
#
#   scripts/setup.sh               build + test dependencies, Fashion-MNIST
#   scripts/setup.sh --reference   also PyTorch, NumPy and SciPy (fixture scripts, bench/)
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config
  libboost-dev libboost-filesystem-dev libboost-program-options-dev   # Boost.DLL, Program_options
  libxtensor-dev libxtensor-blas-dev libxsimd-dev libopenblas-dev       # compute
  catch2                                                                # tests (v2)
  libyaml-cpp-dev nlohmann-json3-dev libdlpack-dev zlib1g-dev libpng-dev
  dataset-fashion-mnist                                                 # the default dataset
  clang libclang-rt-14-dev                                              # libFuzzer + sanitizers (tests/fuzz)
  libopenmpi-dev openmpi-bin procps                                     # data parallelism (mpirun; pgrep in its tests)
  chromium                                                              # headless: renders the comparison report in its test
)
for arg in "$@"; do
  case "$arg" in
    --reference) packages+=(python3-torch python3-numpy python3-scipy) ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
