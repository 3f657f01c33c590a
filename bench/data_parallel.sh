#!/usr/bin/env bash
# Data-parallel fine-tuning here: 2 processes x 1 thread (mpirun) against 1 process x 2
# threads, on the rubert-tiny2 and bert-base shapes (random weights, from scratch), and
# the communication each step needs. Prints samples/s, the ratio, seconds in messages and
# bytes sent per step (rank 0's, from metrics.jsonl), and the scaling model of
# bench/README.md ("Data-parallel training") fed with these numbers.
# Usage: bench/data_parallel.sh [BUILD_DIR=build]   (about 6 minutes on 2 cores)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bertcls=$(realpath "${1:-$here/build}")/bertcls
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Every contender gets OpenBLAS's own kernel choice (TIPS: the pins slow it down here).
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
export OMP_WAIT_POLICY=PASSIVE OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
cat "$here"/data/rutweetcorp/extra.csv > "$work/train.csv"

run() {  # run NAME PRESET STEPS PROCESSES THREADS SHARDS -> "samples/s comm_s_per_step bytes_per_step"
  local name=$1 preset=$2 steps=$3 n=$4 threads=$5 shards=$6
  local args=(train --preset "$here/data/$preset" --train "$work/train.csv" --valid-split 0 --batch-size 32
              --max-length 128 --max-steps "$steps" --log-every 1 --grad-shards "$shards" --out "$work/$name")
  if ((n == 1)); then
    OMP_NUM_THREADS=$threads "$bertcls" "${args[@]}" >/dev/null 2>&1
  else
    OMP_NUM_THREADS=$threads mpirun --oversubscribe --bind-to core -np "$n" "$bertcls" "${args[@]}" >/dev/null 2>&1
  fi
  # Steady state: the mean over the steps after the first two.
  python3 - "$work/$name/metrics.jsonl" <<'PY'
import json, sys
steps = [json.loads(l) for l in open(sys.argv[1]) if '"step"' in l and json.loads(l)["event"] == "step"]
last, first = steps[-1], steps[1]
sps = last["samples_per_second"]
rest = steps[2:] or steps
comm = sum(s.get("communication_seconds", 0.0) for s in rest) / len(rest)
sent = sum(s.get("bytes_sent", 0) for s in rest) / len(rest)
print(f"{sps:.2f} {comm:.4f} {sent:.0f}")
PY
}

printf '%-10s %-24s %10s %10s %12s\n' shape run samples/s ratio "comm s/step"
for shape in rubert-tiny2:40 bert-base-uncased:4; do
  preset=${shape%%:*} steps=${shape##*:}
  read -r base _ _ < <(run "$preset-1x2" "$preset" "$steps" 1 2 1)
  read -r sharded _ _ < <(run "$preset-1x2-s2" "$preset" "$steps" 1 2 2)
  read -r dp comm sent < <(run "$preset-2x1" "$preset" "$steps" 2 1 2)
  printf '%-10s %-24s %10s %10s %12s\n' "$preset" "1 process x 2 threads" "$base" 1.00 -
  printf '%-10s %-24s %10s %10.2f %12s\n' "$preset" "same, 2 shards" "$sharded" "$(echo "$sharded / $base" | bc -l)" -
  printf '%-10s %-24s %10s %10.2f %12s  (%s bytes sent by rank 0 per step)\n' "$preset" "2 processes x 1 thread" "$dp" \
    "$(echo "$dp / $base" | bc -l)" "$comm" "$sent"
done
