#!/usr/bin/env bash
# README's first command: install dependencies, build, run the main job on the bundled
# sample data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2
bash scripts/demo.sh
