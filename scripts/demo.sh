#!/usr/bin/env bash
# The main job on the bundled sample data, with an already built ./build/bertcls: the
# tutorial's train -> eval -> predict, offline: a model from nothing but the sample's texts
# (a vocabulary learned from them, masked-LM pre-training on them, then fine-tuning).
set -euo pipefail
cd "$(dirname "$0")/.."
bertcls=./build/bertcls
data=data/rutweetcorp-sample
out=${BERTCLS_DEMO_OUT:-out/demo}

echo "== tokenize two texts with the rubert-tiny2 tokenizer"
$bertcls tokenize --tokenizer data/rubert-tiny2 "Привет, мир!" "ёжик в тумане"

echo "== from scratch on $data/train.csv: learn a vocabulary, pre-train a masked LM for 5 epochs, fine-tune for 10;"
echo "   keep the best epoch on $data/valid.csv (the stages land in $out/from-scratch)"
$bertcls train --train $data/train.csv --valid $data/valid.csv --out "$out" \
  --pretrain-epochs 5 --pretrain-max-length 64 --epochs 10 --batch-size 32 --max-length 128 --seed 42 --log-every 20
echo "(loss and metric curves: $out/curves.svg)"

echo "== evaluate on the held-out $data/test.csv"
$bertcls eval --model "$out/model" --data $data/test.csv

echo "== predict two sentences"
$bertcls predict --model "$out/model" "какой чудесный день, всё получилось" "опять всё сломалось, ужасно"
