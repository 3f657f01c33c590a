#!/usr/bin/env bash
# Data-parallel fine-tuning under mpirun (ctest train_mpi, in builds with MPI): 1, 2 and 3
# processes train byte-identical models with identical losses (plain, with gradient
# accumulation, with ZeRO-1, with --shard-data); a killed process ends the whole job with a non-zero exit and
# leaves the last checkpoint intact; the run then resumes with another process count and
# ends where the uninterrupted run ends.
# Usage: train_mpi_test.sh BERTCLS SOURCE_DIR WORK_DIR
set -euo pipefail
bertcls=$1 source=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# OpenBLAS's sums depend on its thread count: every process runs one thread, as the
# plain run does. Root in a container needs the three OMPI_ variables (README).
export OMP_NUM_THREADS=1 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
# In a sanitizer build, Open MPI's plugins leak at exit from modules already unloaded,
# which no LeakSanitizer suppression can name: leak checks stay on for the plain runs.
launch=(mpirun --oversubscribe --bind-to none -x "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
mpi() { local n=$1; shift; "${launch[@]}" -np "$n" "$bertcls" "$@"; }

# A small preset with rubert-tiny2's vocabulary, so that every run takes seconds.
mkdir preset && cp "$source"/data/rubert-tiny2/*.json "$source"/data/rubert-tiny2/vocab.txt preset/
sed -i -e 's/"hidden_size": 312/"hidden_size": 32/' -e 's/"num_attention_heads": 12/"num_attention_heads": 4/' \
  -e 's/"intermediate_size": 600/"intermediate_size": 64/' -e 's/"num_hidden_layers": 3/"num_hidden_layers": 2/' \
  -e 's/"max_position_embeddings": 2048/"max_position_embeddings": 128/' preset/config.json
head -301 "$source"/data/rutweetcorp-sample/train.csv >train.csv
head -61 "$source"/data/rutweetcorp-sample/valid.csv >valid.csv
base=(train --preset "$work/preset" --vocab-size 0 --train train.csv --valid valid.csv --batch-size 16 --lr 1e-3 --log-every 1
      --seed 3)
args=("${base[@]}" --epochs 2 --grad-shards 6)

losses() { grep -o '"train_loss":[^,]*' "$1/metrics.jsonl"; }
# Epoch records but their speed: train loss, validation loss and metrics, best.
epochs() { grep '"event":"epoch"' "$1/metrics.jsonl" | sed 's/"samples_per_second":[^,]*,//'; }
fail() { echo "FAIL: $*"; exit 1; }
same_run() {  # same_run REFERENCE OTHER: byte-identical weights, identical losses
  cmp -s "$1/model/model.safetensors" "$2/model/model.safetensors" || fail "$2's weights differ from $1's"
  [[ $(losses "$1") == $(losses "$2") ]] || fail "$2's losses differ from $1's"
  [[ $(losses "$1" | wc -l) -gt 10 ]] || fail "$1 logged too few losses"
  [[ $(epochs "$1") == $(epochs "$2") ]] || fail "$2's validation differs from $1's"
  [[ $(epochs "$1") == *valid_f1_macro* ]] || fail "$1 has no validation metrics"
  echo "ok: $2 = $1"
}

"$bertcls" "${args[@]}" --out one >/dev/null 2>&1 || fail "the plain run failed"
for n in 2 3; do mpi $n "${args[@]}" --out np$n >/dev/null 2>&1 || fail "mpirun -np $n failed"; same_run one np$n; done
# Only rank 0 writes: one progress stream, one model path on stdout.
[[ $(mpi 3 "${args[@]}" --out np3-out 2>/dev/null | wc -l) == 1 ]] || fail "more than one process printed"

"$bertcls" "${args[@]}" --grad-accum 2 --out accum-one >/dev/null 2>&1 || fail "the plain run with --grad-accum failed"
mpi 3 "${args[@]}" --grad-accum 2 --out accum-np3 >/dev/null 2>&1 || fail "mpirun with --grad-accum failed"
same_run accum-one accum-np3
cmp -s one/model/model.safetensors accum-one/model/model.safetensors && fail "--grad-accum 2 changed nothing"

mpi 2 "${args[@]}" --zero-optimizer --out zero-np2 >/dev/null 2>&1 || fail "mpirun with --zero-optimizer failed"
mpi 3 "${args[@]}" --zero-optimizer --out zero-np3 >/dev/null 2>&1 || fail "mpirun -np 3 with --zero-optimizer failed"
same_run one zero-np2
same_run one zero-np3

# --shard-data: each process keeps only the texts it trains; the same model.
mpi 3 "${args[@]}" --shard-data --out shard-data-np3 >/dev/null 2>&1 || fail "mpirun with --shard-data failed"
same_run one shard-data-np3

# More shards than processes is required: each process trains at least one.
if mpi 2 "${base[@]}" --max-steps 1 --grad-shards 1 --out too-few >too-few.log 2>&1; then fail "2 processes ran 1 shard"; fi
grep -q "grad_shards 1 is fewer than the 2 processes" too-few.log || { cat too-few.log; fail "no message for too few shards"; }

# A process killed mid-run: the job ends, non-zero, within a bounded time.
long=("${base[@]}" --grad-shards 6 --epochs 4 --save-steps 5)
"$bertcls" "${long[@]}" --out long-one >/dev/null 2>&1 || fail "the plain long run failed"
mpi 2 "${long[@]}" --out killed >killed.log 2>&1 &
job=$!
for _ in $(seq 1500); do compgen -G "killed/checkpoint-*" >/dev/null && break; sleep 0.02; done
compgen -G "killed/checkpoint-*" >/dev/null || fail "no checkpoint appeared"
victim=$(pgrep -f -- "^$bertcls train .*--out killed" | tail -1 || true)
[[ -n $victim ]] || fail "no process of the job to kill"
kill -9 "$victim"
start=$SECONDS
if wait $job; then fail "the job survived a killed process"; fi
(( SECONDS - start <= 30 )) || fail "the job took $((SECONDS - start)) s to end after a process died"
echo "ok: a killed process ended the job in $((SECONDS - start)) s"
pgrep -f -- "^$bertcls train .*--out killed" >/dev/null && fail "processes of the killed job are left"
# Resuming with 3 processes from the checkpoint the killed job left ends as the run never stopped.
mpi 3 "${long[@]}" --out killed --resume killed >resumed.log 2>&1 || { cat resumed.log; fail "resume failed"; }
grep -q "resuming from" resumed.log || fail "did not resume"
same_run long-one killed
# Ctrl-C on mpirun: it passes SIGTERM to every process, rank 0 decides for all, a
# checkpoint is written; one process alone then finishes the run as it would have ended.
"${launch[@]}" -np 3 "$bertcls" "${long[@]}" --out stopped >stopped.log 2>&1 &  # $! is mpirun
job=$!
for _ in $(seq 600); do compgen -G "stopped/checkpoint-*" >/dev/null && break; sleep 0.02; done
kill -INT $job
if wait $job; then fail "an interrupted job exited 0"; fi
grep -q "interrupted at step" stopped.log || { cat stopped.log; fail "no interruption message"; }
"$bertcls" "${long[@]}" --out stopped --resume stopped >resumed-one.log 2>&1 || { cat resumed-one.log; fail "resume failed"; }
same_run long-one stopped
echo "PASS"
