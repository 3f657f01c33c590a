// Hugging Face's Rust tokenizer (npm binding) on the same texts as tokenize_bench: one
// thread (TOKENIZERS_PARALLELISM=false, set by tokenize.sh) through encodeBatch, so the
// JavaScript overhead is paid once per batch rather than once per text.
'use strict';
const fs = require('fs');
const tk = require('tokenizers');
const [dir, file, roundsArg] = process.argv.slice(2);
const texts = fs.readFileSync(file, 'utf8').split('\n');
if (texts[texts.length - 1] === '') texts.pop();
const rounds = Number(roundsArg || 5);
(async () => {
  const t = tk.Tokenizer.fromFile(`${dir}/tokenizer.json`);
  t.disablePadding();  // bertcls encodes each text to its own length; so must HF
  let best = Infinity, tokens = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    const encs = await t.encodeBatch(texts);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    tokens = encs.reduce((n, e) => n + e.getLength(), 0);
  }
  console.log(`hf ${process.env.TOKENIZERS_PARALLELISM === 'false' ? '1 thread' : 'all threads'}: ` +
      `${Math.round(texts.length / best)} texts/s, ${Math.round(tokens / best)} tokens/s ` +
      `(${texts.length} texts, ${tokens} tokens, best of ${rounds})`);
})();
