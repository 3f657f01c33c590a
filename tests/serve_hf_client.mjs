// Hugging Face's own JavaScript client (@huggingface/inference 4.x) against bertcls serve:
// textClassification through InferenceClient.endpoint(url), as a user of Inference
// Endpoints would point it at us, and TEI's /predict with plain fetch, both with a key.
// Usage: node serve_hf_client.mjs CLIENT_DIR URL KEY   (CLIENT_DIR holds node_modules)
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const [clientDir, url, key] = process.argv.slice(2);
const { InferenceClient } = createRequire(resolve(clientDir, 'package.json'))('@huggingface/inference');
const text = 'Отличный день, всё получилось';

const endpoint = new InferenceClient(key).endpoint(url);
const all = await endpoint.textClassification({ inputs: text });
assert.ok(Array.isArray(all) && all.length >= 2, JSON.stringify(all));
for (let i = 1; i < all.length; ++i) assert.ok(all[i - 1].score >= all[i].score, 'sorted by score');
assert.ok(Math.abs(all.reduce((s, x) => s + x.score, 0) - 1) < 1e-5, 'softmax scores sum to 1');

const top = await endpoint.textClassification({ inputs: text, parameters: { top_k: 1 } });
assert.deepEqual(top, [all[0]]);
const logits = await endpoint.textClassification({ inputs: text, parameters: { function_to_apply: 'none' } });
assert.equal(logits.length, all.length);

// TEI's route gives the same scores.
const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` };
const tei = await (await fetch(`${url}/predict`, { method: 'POST', headers, body: JSON.stringify({ inputs: text }) })).json();
assert.deepEqual(tei, all);

// A wrong key is refused, and the client says so.
await assert.rejects(new InferenceClient('wrong-key').endpoint(url).textClassification({ inputs: text }), (e) => {
  assert.match(String(e.message) + JSON.stringify(e.httpResponse ?? {}), /401|API key/);
  return true;
});
console.log(`@huggingface/inference: ${all.map((x) => `${x.label} ${x.score.toFixed(4)}`).join(', ')}; /predict agrees; a wrong key is refused`);
