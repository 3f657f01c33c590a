// Compares HF tokenizers' ids on the xlmr-unigram fixture with SentencePiece's own
// (spm_encode on the fixture's sentencepiece.bpe.model, ids shifted as fairseq/XLM-R
// shift them: <unk> 0 -> 3, piece p -> p + 1, inside <s> ... </s>) on every RuTweetCorp
// text and adversarial case of one line, and prints the agreement, how many differences
// are only the same pieces in another order (equal-score segmentations, which the two
// break differently), and the first texts where they differ. Usage: node xlmr-spm-agreement.js  (after npm install; needs
// spm_encode: apt-get install sentencepiece)
'use strict';
const fs = require('fs');
const path = require('path');
const {execFileSync} = require('child_process');
const tk = require('tokenizers');

const fixtures = path.resolve(__dirname, '../../tests/fixtures/tokenizers');
const dir = path.join(fixtures, 'xlmr-unigram');
const texts = fs.readFileSync(path.join(fixtures, 'rutweetcorp.txt'), 'utf8').split('\n').filter((t) => t !== '');
const adversarial = require('./adversarial.js').map((c) => c.text)
    .filter((t, i, all) => t !== '' && !/[\n\r\u0085\u2028\u2029]/.test(t) && all.indexOf(t) === i);

(async () => {
  const hf = tk.Tokenizer.fromFile(path.join(dir, 'tokenizer.json'));
  for (const [name, inputs] of [['RuTweetCorp', texts], ['adversarial (one-line)', adversarial]]) {
    const spm = execFileSync('spm_encode', [`--model=${path.join(dir, 'sentencepiece.bpe.model')}`, '--output_format=id'],
        {input: inputs.join('\n') + '\n', maxBuffer: 1 << 28}).toString().split('\n');
    let same = 0, reordered = 0;
    const differ = [];
    for (let i = 0; i < inputs.length; i++) {
      const want = [0, ...spm[i].split(' ').filter((x) => x !== '').map(Number).map((id) => (id === 0 ? 3 : id + 1)), 2];
      const got = (await hf.encode(inputs[i], null)).getIds();
      if (got.join(' ') === want.join(' ')) {
        same++;
        continue;
      }
      const line = `${JSON.stringify(inputs[i]).slice(0, 120)}\n  HF  ${got.join(' ')}\n  SPM ${want.join(' ')}`;
      if ([...got].sort().join() === [...want].sort().join()) {
        reordered++;
        differ.push(line);  // listed after the texts whose pieces differ
      } else {
        differ.unshift(line);
      }
    }
    console.log(`${name}: ${same} of ${inputs.length} identical (${(100 * same / inputs.length).toFixed(2)}%), ` +
        `${reordered} more with the same pieces in another order`);
    for (const d of differ.slice(0, 8)) console.log(d);
  }
})();
