#!/usr/bin/env bash
# Data-parallel fine-tuning here: 2 processes x 1 thread (mpirun) against 1 process x 2
# threads, on the rubert-tiny2 and bert-base shapes (random weights, from scratch), and
# the communication each step needs. Prints samples/s, the ratio, seconds in messages and
# bytes sent per step (rank 0's, from metrics.jsonl), and the scaling model of
# bench/README.md ("Data-parallel training") fed with these numbers.
# Usage: bench/data_parallel.sh [BUILD_DIR=build]   (about 6 minutes on 2 cores). Processes are
# not bound to cores: on this 2-core VM Open MPI's --bind-to core halved their speed.
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
model=()

run() {  # run NAME PRESET STEPS PROCESSES THREADS SHARDS -> "samples/s comm_s_per_step bytes_per_step"
  local name=$1 preset=$2 steps=$3 n=$4 threads=$5 shards=$6
  local args=(train --preset "$here/data/$preset" --train "$work/train.csv" --valid-split 0 --batch-size 32
              --max-length 128 --max-steps "$steps" --log-every 1 --grad-shards "$shards" --out "$work/$name")
  if ((n == 1)); then
    OMP_NUM_THREADS=$threads "$bertcls" "${args[@]}" >/dev/null 2>&1
  else
    OMP_NUM_THREADS=$threads mpirun --oversubscribe --bind-to none -np "$n" "$bertcls" "${args[@]}" >/dev/null 2>&1
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

printf '%-18s %-24s %10s %7s %12s %14s\n' shape run samples/s ratio "comm s/step" "bytes/step"
for shape in rubert-tiny2:40 bert-base-uncased:4; do
  preset=${shape%%:*} steps=${shape##*:}
  read -r base _ _ < <(run "$preset-1x2" "$preset" "$steps" 1 2 1)
  read -r sharded _ _ < <(run "$preset-1x2-s2" "$preset" "$steps" 1 2 2)
  read -r dp comm sent < <(run "$preset-2x1" "$preset" "$steps" 2 1 2)
  printf '%-18s %-24s %10s %7s %12s %14s\n' "$preset" "1 process x 2 threads" "$base" 1.00 - -
  printf '%-18s %-24s %10s %7.2f %12s %14s\n' "$preset" "same, 2 shards" "$sharded" "$(echo "$sharded / $base" | bc -l)" - -
  printf '%-18s %-24s %10s %7.2f %12s %14s\n' "$preset" "2 processes x 1 thread" "$dp" "$(echo "$dp / $base" | bc -l)" \
    "$comm" "$sent"
  model+=("$preset $base $sent")
done

# The model of bench/README.md: machines like this one (their samples/s measured above, one
# process each), the gradient's bytes per batch as rank 0 sent them, the chain pipelined
# in 1 MB pieces, then a pipelined broadcast; no overlap with compute.
python3 - "${model[@]}" <<'PY'
import math, sys
print("\nmodel: global batch for 80% efficiency (compute >= 4 x communication per step)")
print(f"{'shape':18} {'machines':>8} {'link':>9} {'comm s/step':>12} {'global batch':>13}")
for entry in sys.argv[1:]:
    shape, rate, size = entry.split()
    rate, size = float(rate), float(size)
    piece = 1 << 20
    for machines in (8, 64):
        for gbit, latency in ((10, 30e-6), (100, 10e-6)):
            bandwidth = gbit * 1e9 / 8
            hop = piece / bandwidth + latency
            pieces = math.ceil(size / piece)
            chain = (pieces + machines - 2) * hop
            broadcast = size / bandwidth + math.ceil(math.log2(machines)) * hop
            comm = chain + broadcast
            batch = 4 * machines * rate * comm
            print(f"{shape:18} {machines:8} {gbit:6} Gb {comm:12.3f} {batch:13.0f}")
PY
