#!/usr/bin/env bash
# The tutorial's task on the whole RuTweetCorp split: train on extra.csv + valid.csv,
# evaluate on test.csv. bertcls trains from scratch with its defaults (no pretrained
# checkpoint: the offline case; once per seed in SEEDS, default "42 1 2", and their mean),
# fastText `supervised` (one thread, so a run repeats)
# with its defaults and with -wordNgrams 2 -epoch 25 -lr 0.5. Prints test accuracy,
# macro F1 and training time, and the seeds' ensemble (their test scores averaged): it
# tells whether the gap to fastText is the variance of one run or the model's.
# Needs a Release build in build/ and Debian's fasttext (apt-get install fasttext).
#   bench/rutweetcorp_vs_fasttext.sh [DATA_DIR] [extra bertcls train options...]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-data/rutweetcorp}
shift || true
command -v fasttext >/dev/null || { echo "needs fastText: apt-get install fasttext" >&2; exit 1; }
[[ -x build/bertcls ]] || { echo "needs a Release build in build/ (see README)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fastText's format: __label__L text. The files have no quoting, so the label is after the last comma.
to_fasttext() { tail -n +2 "$@" | sed -E 's/^(.*),([^,]*)$/__label__\2 \1/'; }
to_fasttext "$data/extra.csv" "$data/valid.csv" >"$work/train.txt"
to_fasttext "$data/test.csv" >"$work/test.txt"

# Accuracy and macro F1 of predicted labels (one per line) against the test file's.
score() {
  paste -d' ' <(cut -d' ' -f1 "$work/test.txt") "$1" | awk '
    { gold[NR] = $1; pred[NR] = $2; labels[$1] = 1 }
    END {
      for (i = 1; i <= NR; i++) { if (gold[i] == pred[i]) { ok++; tp[gold[i]]++ } else { fp[pred[i]]++; fn[gold[i]]++ } }
      for (l in labels) { p = tp[l] + fp[l] ? tp[l] / (tp[l] + fp[l]) : 0; r = tp[l] + fn[l] ? tp[l] / (tp[l] + fn[l]) : 0
                          f1 += p + r ? 2 * p * r / (p + r) : 0; n++ }
      printf "%.4f %.4f", ok / NR, f1 / n }'
}

# Labels (as fastText prints them) from the mean of one or more `bertcls predict` CSV
# files' score_LABEL columns, counted from the end of a row since only the text may hold
# commas. One file gives that model's own predictions, several their ensemble's.
labels_from_scores() {
  awk -F, 'FNR == 1 { for (c = 1; c <= NF; c++) if ($c ~ /^score_/) label[NF - c] = substr($c, 7); next }
           { for (k in label) sum[FNR, k] += $(NF - k); rows = FNR }
           END { for (r = 2; r <= rows; r++) { best = ""
                   for (k in label) if (best == "" || sum[r, k] > sum[r, best]) best = k
                   print "__label__" label[best] } }' "$@"
}

printf "%-44s %9s %9s %9s\n" "model (train extra+valid, test on test.csv)" accuracy macro-F1 "train s"
run_fasttext() {
  local name=$1
  shift
  local start=$SECONDS
  fasttext supervised -input "$work/train.txt" -output "$work/ft" -seed 1 -thread 1 "$@" >/dev/null 2>&1
  local seconds=$((SECONDS - start))
  fasttext predict "$work/ft.bin" "$work/test.txt" >"$work/pred.txt"
  read -r acc f1 <<<"$(score "$work/pred.txt")"
  printf "%-44s %9s %9s %9s\n" "$name" "$acc" "$f1" "$seconds"
}
run_fasttext "fastText supervised (defaults)"
run_fasttext "fastText -wordNgrams 2 -epoch 25 -lr 0.5" -wordNgrams 2 -epoch 25 -lr 0.5

# bertcls once per seed (the seed picks the validation split, the batch order, dropout and
# the new weights), then the mean: single runs differ by up to 0.02 in macro F1.
seeds=${SEEDS:-42 1 2}
sum_acc=0 sum_f1=0 sum_s=0 n=0
for seed in $seeds; do
  start=$SECONDS
  build/bertcls train --train "$data/extra.csv" "$data/valid.csv" --out "$work/bertcls" --log-every 0 --seed "$seed" "$@" \
    >/dev/null 2>"$work/train.log" || { cat "$work/train.log" >&2; exit 1; }
  seconds=$((SECONDS - start))
  build/bertcls predict --model "$work/bertcls/model" --input "$data/test.csv" --output-format csv >"$work/scores.$seed.csv"
  labels_from_scores "$work/scores.$seed.csv" >"$work/pred.txt"
  read -r acc f1 <<<"$(score "$work/pred.txt")"
  printf "%-44s %9.4f %9.4f %9s\n" "bertcls from scratch (defaults), seed $seed" "$acc" "$f1" "$seconds"
  grep "done:" "$work/train.log" | sed 's/^/  bertcls /'
  read -r sum_acc sum_f1 <<<"$(echo "$sum_acc $sum_f1 $acc $f1" | awk '{ print $1 + $3, $2 + $4 }')"
  sum_s=$((sum_s + seconds)) n=$((n + 1))
done
printf "%-44s %9.4f %9.4f %9s\n" "bertcls from scratch (defaults), mean of $n" \
  "$(echo "$sum_acc $n" | awk '{ print $1 / $2 }')" "$(echo "$sum_f1 $n" | awk '{ print $1 / $2 }')" $((sum_s / n))
labels_from_scores "$work"/scores.*.csv >"$work/ensemble.txt"
read -r acc f1 <<<"$(score "$work/ensemble.txt")"
printf "%-44s %9s %9s %9s\n" "bertcls ensemble of the $n (mean scores)" "$acc" "$f1" $sum_s
