// The ONNX Runtime side of bench/run.py: an exported model (bench/export_onnx.py) on
// pre-tokenized texts, all cores (intra-op threads = cores), run exactly as
// torch_bench.py's infer mode: the first N texts sorted by length in batches of 32, each
// padded to its longest, the median of ROUNDS passes; then one text at a time for LATENCY
// texts: p50, p99. Prints one JSON line.
//
//   node bench/ort-bench.js MODEL.onnx IDS_JSONL N ROUNDS LATENCY
'use strict';
const fs = require('fs');
const os = require('os');
const ort = require('onnxruntime-node');

const [modelPath, idsPath, ...rest] = process.argv.slice(2);
const [n, rounds, latency] = rest.map(Number);
const seqs = fs.readFileSync(idsPath, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l).ids);

// input_ids, attention_mask, token_type_ids [B, S] of right-padded sequences.
function feeds(batch) {
  const S = Math.max(...batch.map((s) => s.length));
  const ids = new BigInt64Array(batch.length * S), mask = new BigInt64Array(batch.length * S);
  batch.forEach((s, b) => s.forEach((id, i) => { ids[b * S + i] = BigInt(id); mask[b * S + i] = 1n; }));
  const dims = [batch.length, S];
  return {
    input_ids: new ort.Tensor('int64', ids, dims),
    attention_mask: new ort.Tensor('int64', mask, dims),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch.length * S), dims),
  };
}

const median = (v, q = 0.5) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))];
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

(async () => {
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: os.cpus().length, interOpNumThreads: 1, graphOptimizationLevel: 'all',
  });
  const byLength = seqs.slice(0, n).sort((a, b) => a.length - b.length);
  const batches = [];
  for (let i = 0; i < n; i += 32) batches.push(feeds(byLength.slice(i, i + 32)));
  await session.run(batches[batches.length - 1]);  // warm-up
  const passes = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (const b of batches) await session.run(b);
    passes.push(seconds(t0));
  }
  const ms = [];
  for (const s of seqs.slice(0, latency)) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds([s]));
    ms.push(1e3 * seconds(t0));
  }
  console.log(JSON.stringify({ texts_per_s: n / median(passes), p50_ms: median(ms), p99_ms: median(ms, 0.99) }));
})();
