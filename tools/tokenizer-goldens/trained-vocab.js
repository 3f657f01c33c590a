// Parity of a vocabulary bertcls trains with Hugging Face's tokenizer loading it:
// `bertcls vocab` on data/rutweetcorp-sample/train.csv (2,000 tokens) writes
// tests/fixtures/tokenizers/bertcls-vocab/, and HF's tokenizers (npm binding 0.23.x,
// Tokenizer.fromFile on that tokenizer.json) encodes the held-out valid.csv and test.csv
// texts into goldens/bertcls-vocab.ids.txt, one line of ids per text ([CLS] ... [SEP]).
// Usage (from this folder, after npm install): node trained-vocab.js BERTCLS
'use strict';
const fs = require('fs');
const path = require('path');
const {execFileSync} = require('child_process');
const tk = require('tokenizers');
const {sample, sampleTexts} = require('./sample-texts.js');

const [bertcls] = process.argv.slice(2);
if (!bertcls) throw new Error('usage: node trained-vocab.js BERTCLS');
const out = path.resolve(__dirname, '../../tests/fixtures/tokenizers');
const folder = path.join(out, 'bertcls-vocab');
execFileSync(bertcls, ['vocab', '--texts', path.join(sample, 'train.csv'), '--size', '2000', '--out', folder],
    {stdio: ['ignore', 'ignore', 'inherit']});
fs.chmodSync(folder, 0o755);

(async () => {
  const t = tk.Tokenizer.fromFile(path.join(folder, 'tokenizer.json'));
  const texts = [...sampleTexts('valid.csv'), ...sampleTexts('test.csv')];
  const encs = [];
  for (const text of texts) encs.push(await t.encode(text, null));
  fs.writeFileSync(path.join(out, 'goldens/bertcls-vocab.ids.txt'), encs.map((e) => e.getIds().join(' ')).join('\n') + '\n');
  console.log(`${texts.length} texts, ${encs.reduce((n, e) => n + e.getLength(), 0)} tokens`);
})();
