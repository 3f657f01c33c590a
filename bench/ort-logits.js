// Logits of an ONNX model on the first N pre-tokenized texts, one text per run (no
// padding), as one JSON line [[...], ...]: bench/quantize_onnx.py --check compares the
// int8 rewrite's against the fp32 export's.
//
//   node bench/ort-logits.js MODEL.onnx IDS_JSONL N
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

const [modelPath, idsPath, n] = process.argv.slice(2);
const seqs = fs.readFileSync(idsPath, 'utf8').split('\n').filter((l) => l).slice(0, Number(n)).map((l) => JSON.parse(l).ids);

(async () => {
  const session = await ort.InferenceSession.create(modelPath, { graphOptimizationLevel: 'all' });
  const out = [];
  for (const s of seqs) {
    const dims = [1, s.length];
    const tensor = (values) => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims);
    const result = await session.run({
      input_ids: tensor(s), attention_mask: tensor(s.map(() => 1)), token_type_ids: tensor(s.map(() => 0)),
    });
    out.push(Array.from(result.logits.data));
  }
  console.log(JSON.stringify(out));
})();
