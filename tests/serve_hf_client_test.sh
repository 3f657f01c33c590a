#!/usr/bin/env bash
# bertcls serve driven by Hugging Face's JavaScript client (tests/serve_hf_client.mjs).
# The client comes from the npm registry into the build folder once; without the
# registry the test is skipped (exit 77) and says why.
# Usage: serve_hf_client_test.sh BERTCLS BUILD_DIR SOURCE_DIR MODEL_DIR
set -euo pipefail
bertcls=$1 build=$2 source=$3 model=$4
client_dir=$build/hf-client
if [[ ! -d $client_dir/node_modules/@huggingface/inference ]]; then
  mkdir -p "$client_dir"
  if ! npm install --prefix "$client_dir" --ignore-scripts --no-audit --no-fund '@huggingface/inference@^4' \
      >"$client_dir/npm.log" 2>&1; then
    if ! timeout 30 npm ping >/dev/null 2>&1; then
      echo "SKIPPED: npm cannot reach its registry to install @huggingface/inference (see $client_dir/npm.log)"
      exit 77
    fi
    cat "$client_dir/npm.log"
    exit 1
  fi
fi

log=$(mktemp)
key="key-$RANDOM$RANDOM"
"$bertcls" serve --model "$model" --port 0 --api-key "$key" --log-format off 2>"$log" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log"' EXIT
port=""
for _ in $(seq 200); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$log" | head -1 | cut -d: -f3 || true)
  [[ -n $port ]] && break
  sleep 0.05
done
[[ -n $port ]] || { cat "$log"; echo "bertcls serve did not start"; exit 1; }
node "$source/tests/serve_hf_client.mjs" "$client_dir" "http://127.0.0.1:$port" "$key"
