#!/usr/bin/env bash
# The main job on the bundled sample data, with an already built ./build/bertcls.
set -euo pipefail
cd "$(dirname "$0")/.."
bertcls=./build/bertcls

echo "== tokenize two texts with the rubert-tiny2 tokenizer"
$bertcls tokenize --tokenizer data/rubert-tiny2 "Привет, мир!" "ёжик в тумане"
