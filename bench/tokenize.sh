#!/usr/bin/env bash
# Tokenizer throughput, bertcls against Hugging Face's Rust tokenizer on the same texts,
# single-threaded, and prints the ratio. Needs a Release build in build/ and
# `npm install` in bench/ once.
#   bench/tokenize.sh [TOKENIZER_DIR=data/rubert-tiny2] [TEXTS=tests/fixtures/tokenizers/rutweetcorp.txt]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-data/rubert-tiny2}
texts=${2:-tests/fixtures/tokenizers/rutweetcorp.txt}
[[ -d bench/node_modules/tokenizers ]] || (cd bench && npm install --silent)

hf_all=$(node bench/tokenize-hf.js "$dir" "$texts")
hf=$(TOKENIZERS_PARALLELISM=false RAYON_NUM_THREADS=1 node bench/tokenize-hf.js "$dir" "$texts")
ours=$(./build/bench/tokenize_bench "$dir" "$texts")
echo "$hf"
echo "$hf_all"
echo "$ours"
rate() { sed -n "s/.*$1: \([0-9]*\) texts\/s.*/\1/p" <<<"$2" | head -1; }
awk -v a="$(rate '1 thread' "$ours")" -v b="$(rate '1 thread' "$hf")" \
  'BEGIN { printf "ratio bertcls/hf, 1 thread: %.2fx\n", a / b }'
