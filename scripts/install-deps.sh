#!/usr/bin/env bash
# Installs the Debian packages bertcls builds and tests with. Idempotent: packages
# already present are skipped, so a second run makes no changes and needs no network.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libopenblas-openmp-dev   # BLAS sharing our OpenMP pool (see DESIGN.md, TIPS.md)
  libdnnl-dev              # oneDNN: inference's dense layers, weights packed once, fp32/bf16/int8
  libutf8proc-dev          # Unicode categories and case mapping for the tokenizer
  nlohmann-json3-dev       # config.json, tokenizer.json, safetensors headers
  libcli11-dev             # command line
  libcpp-httplib-dev       # bertcls serve
  libcurl4-openssl-dev     # hub download
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev # libFuzzer targets
  chromium chromium-driver # the page bertcls serve serves, tested in a headless browser
  wrk curl                 # bench/serve_load.sh
  openmpi-bin libopenmpi-dev  # data-parallel training: mpirun -np N bertcls train
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm run Hugging Face's JavaScript client against bertcls serve (ctest
# serve_hf_client). A node that came from elsewhere (NodeSource bundles npm) is kept:
# Debian's npm package would conflict with it.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages, node and npm present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
