#!/usr/bin/env bash
# Load test of `bertcls serve` with wrk: a rubert-tiny2-shaped model (trained from
# scratch for one step, so its folder is a real one), real tweets POSTed to /predict at 1,
# 8 and 64 connections, all with the server's API key, then a run where every 4th request
# is malformed and a quarter carry no key or a wrong one, which must get 4xx (401 for the
# keyless), no 5xx, and leave the server alive and healthy. Exits non-zero if not.
# Needs a Release build in build/, wrk and curl (scripts/install-deps.sh).
#   bench/serve_load.sh [SECONDS_PER_RUN=5]
# SERVE_ARGS adds options to `bertcls serve` (e.g. SERVE_ARGS="--http-threads 64").
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
bertcls=./build/bertcls
data=data/rutweetcorp-sample
max_body=65536
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "serve_load: FAIL: $*" >&2; exit 1; }
for tool in wrk curl; do command -v $tool >/dev/null || fail "$tool is not installed (scripts/install-deps.sh)"; done

echo "== model: rubert-tiny2 shape, one training step on $data/train.csv"
head -n 51 $data/valid.csv >"$work/valid.csv"  # the model is not the point: validate quickly
$bertcls train --train $data/train.csv --valid "$work/valid.csv" --out "$work/train" \
  --epochs 1 --max-steps 1 --batch-size 8 --max-length 128 --log-every 1 >"$work/train.log" 2>&1 ||
  { cat "$work/train.log"; fail "bertcls train"; }
# The texts column of the held-out file: no quoting, the label is the last field.
tail -n +2 $data/test.csv | sed 's/,[^,]*$//' >"$work/texts.txt"

# --port 0 takes a free port; the server prints the one it got.
# The access log (text, the default) goes to a file, as a deployment would keep it.
key="bench-$RANDOM$RANDOM"
$bertcls serve --model "$work/train/model" --port 0 --max-body-bytes $max_body --api-key "$key" ${SERVE_ARGS:-} \
  >"$work/access.log" 2>"$work/serve.log" &
server_pid=$!
port=""
for _ in $(seq 300); do
  port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.log")
  [[ -n $port ]] && curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  kill -0 $server_pid 2>/dev/null || { cat "$work/serve.log"; fail "the server exited at start"; }
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/health" >/dev/null || fail "no /health answer within 30 s"
url="http://127.0.0.1:$port"

# One wrk run; prints its RESULT line (see serve_load.lua).
run() {
  local clients=$1 out; shift
  out=$(wrk -t $((clients < 2 ? clients : 2)) -c "$clients" -d "${seconds}s" --timeout 10s \
    -s bench/serve_load.lua "$url/predict" -- "$work/texts.txt" "$key" "$@" 2>&1) || fail "wrk: $out"
  grep '^RESULT' <<<"$out" || fail "wrk printed no result: $out"
  # Requests wrk sent but stopped waiting for still run; one more queues behind them in
  # the batcher's FIFO, so its answer means the next run starts on an idle server.
  curl -s -o /dev/null --max-time 60 -H "Authorization: Bearer $key" "$url/predict" -d '{"inputs": "ещё один"}' ||
    fail "no answer to /predict after $clients clients"
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
row() {
  printf "%-10s %8s %8s %9s %9s %7s %7s\n" "$1" "$(field rps "$2")" "$(field requests "$2")" \
    "$(field p50_ms "$2")" "$(field p99_ms "$2")" "$(field non2xx "$2")" "$(field s5xx "$2")"
}

echo "== $(getconf _NPROCESSORS_ONLN) cores, load: $(uptime | sed 's/.*load average/load average/'), ${seconds} s per run"
printf "%-10s %8s %8s %9s %9s %7s %7s\n" clients req/s requests "p50 ms" "p99 ms" non-2xx 5xx
for clients in 1 8 64; do
  result=$(run $clients)
  [[ $clients == 1 ]] && lone=$(field p50_ms "$result")
  row "$clients" "$result"
  [[ $(field non2xx "$result") == 0 ]] || fail "$clients clients: valid requests got non-2xx answers"
done

# The 1-client run's p50 (a lone request) against the model's own single-text latency
# (issue 12: within 0.3 ms): infer_bench (a -DBERTCLS_BENCH=ON build) times the same
# folder and texts, one at a time, in the environment the server has.
if [[ -x build/bench/infer_bench ]]; then
  alone=$(build/bench/infer_bench "$work/train/model" "$work/texts.txt" \
    64 1 200 fp32 | sed -n 's/.*"p50_ms": \([0-9.]*\).*/\1/p')
  awk -v lone="$lone" -v alone="$alone" 'BEGIN { printf "lone request p50 %.3f ms, the model alone %.3f ms: serve adds %.3f ms (target <= 0.3)\n", lone, alone, lone - alone }'
fi

result=$(run 16 4 $((max_body + 1000)) 4)
row "16 mixed" "$result"
echo "   (every 4th request malformed, a quarter without a valid key: $(field s4xx "$result") answered 4xx," \
  "$(field s401 "$result") of them 401, $(field socket_errors "$result") socket errors)"

# The server's own count of 5xx answers, over all runs.
server_5xx=$(curl -sf -H "Authorization: Bearer $key" "$url/metrics" | awk '/^bertcls_requests_total\{.*status="5[0-9][0-9]"\}/ { n += $2 } END { print n + 0 }')
kill -0 $server_pid 2>/dev/null || fail "the server died under malformed requests"
[[ $(curl -s -o /dev/null -w '%{http_code}' "$url/health") == 200 ]] || fail "/health is not 200 after the runs"
[[ $(field s5xx "$result") == 0 && $server_5xx == 0 ]] ||
  fail "5xx answers: wrk saw $(field s5xx "$result") in the mixed run, /metrics counts $server_5xx"
[[ $(field s4xx "$result") -gt 0 ]] || fail "the mixed run got no 4xx: malformed requests were not sent"
[[ $(field s401 "$result") -gt 0 ]] || fail "the mixed run got no 401: requests without a key were answered"
echo "   access log: $(wc -l <"$work/access.log") lines, e.g. $(tail -n 1 "$work/access.log")"
echo "serve_load: OK (no 5xx, server alive, /health 200)"
