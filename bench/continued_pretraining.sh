#!/usr/bin/env bash
# Does continued pre-training on the task's own texts pay? On the whole RuTweetCorp split:
# the "general" texts are valid.csv's (2,855 tweets, labels unused), the task is extra.csv
# (2,355 labelled tweets; 10% held out for choosing the epoch), the test is test.csv.
#   general-only:  pre-train a bert-tiny on valid.csv for 700 steps, fine-tune on extra.csv
#   general+task:  pre-train on valid.csv for 350 steps, then on extra.csv's texts for 350
#                  more (the same budget), fine-tune on extra.csv
# Both share one 8,000-token vocabulary learned from valid.csv + extra.csv. Once per seed in
# SEEDS (default "42 1 2"); prints test macro F1 and the final MLM loss of each.
# Needs a Release build in build/.   bench/continued_pretraining.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-data/rutweetcorp}
bertcls=build/bertcls
[[ -x $bertcls ]] || { echo "needs a Release build in build/ (see README)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

$bertcls vocab --texts "$data/valid.csv" "$data/extra.csv" --size 8000 --no-strip-accents --out "$work/preset" 2>/dev/null
vocab=$(wc -l <"$work/preset/vocab.txt")
sed "s/\"vocab_size\": [0-9]*/\"vocab_size\": $vocab/" data/bert-tiny/config.json >"$work/preset/config.json"

pretrain=(--max-length 64 --batch-size 32 --lr 1e-3 --warmup-ratio 0.06 --weight-decay 0.01 --log-every 0)
fine_tune=(--train "$data/extra.csv" --lr 1e-3 --epochs 6 --warmup-ratio 0.1 --weight-decay 0.01 --log-every 0)
f1() { $bertcls eval --model "$1" --data "$data/test.csv" --json | python3 -c "import json,sys; print('%.4f' % json.load(sys.stdin)['macro']['f1'])"; }
mlm() { tail -1 "$1/metrics.jsonl" | python3 -c "import json,sys; print('%.3f' % json.load(sys.stdin)['train_loss'])"; }

printf "%-6s %-14s %9s %9s %9s\n" seed run macro-F1 "MLM loss" seconds
for seed in ${SEEDS:-42 1 2}; do
  start=$SECONDS
  $bertcls pretrain --preset "$work/preset" --texts "$data/valid.csv" --out "$work/a" --epochs 20 --max-steps 700 \
    --seed "$seed" "${pretrain[@]}" >/dev/null 2>&1
  $bertcls train --model "$work/a/model" --out "$work/fa" --seed "$seed" "${fine_tune[@]}" >/dev/null 2>&1
  printf "%-6s %-14s %9s %9s %9s\n" "$seed" general-only "$(f1 "$work/fa/model")" "$(mlm "$work/a")" $((SECONDS - start))
  start=$SECONDS
  $bertcls pretrain --preset "$work/preset" --texts "$data/valid.csv" --out "$work/b" --epochs 10 --max-steps 350 \
    --seed "$seed" "${pretrain[@]}" >/dev/null 2>&1
  $bertcls pretrain --model "$work/b/model" --texts "$data/extra.csv" --out "$work/bb" --epochs 20 --max-steps 350 \
    --seed "$seed" "${pretrain[@]}" >/dev/null 2>&1
  $bertcls train --model "$work/bb/model" --out "$work/fb" --seed "$seed" "${fine_tune[@]}" >/dev/null 2>&1
  printf "%-6s %-14s %9s %9s %9s\n" "$seed" general+task "$(f1 "$work/fb/model")" "$(mlm "$work/bb")" $((SECONDS - start))
  rm -rf "$work"/{a,b,bb,fa,fb}
done
