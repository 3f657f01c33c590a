// How close bertcls' WordPiece trainer is to Hugging Face's: HF's WordPieceTrainer
// (tokenizers' npm binding 0.23.x; Tokenizer.train takes the model's default trainer:
// 30,000 tokens, min_frequency 0, no special tokens) on a tokenizer.json with an empty
// WordPiece vocabulary, BertNormalizer (lowercase) and BertPreTokenizer, trained on the
// 2,800 texts of data/rutweetcorp-sample, then:
//   - writes the first run's vocabulary, in id order, to
//     tests/fixtures/tokenizers/hf-wordpiece-trainer/rutweetcorp-sample.vocab.txt (the C++
//     test replays it id for id, given its order of "##" characters);
//   - trains HF RUNS more times: HF's "##" ids come from a hash map's order, so its
//     vocabulary changes from run to run on count ties;
//   - trains with bertcls (`bertcls vocab`, 5 special tokens, size 30,005 so that the
//     same 30,000 are left for the rest) and compares the token sets.
// Usage (from this folder, after npm install): node wordpiece-trainer.js BERTCLS [RUNS]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const {execFileSync} = require('child_process');
const tk = require('tokenizers');
const {sample, sampleTexts} = require('./sample-texts.js');

const [bertcls, runsArg] = process.argv.slice(2);
if (!bertcls) throw new Error('usage: node wordpiece-trainer.js BERTCLS [RUNS]');
const runs = Number(runsArg || 5);
const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wordpiece-trainer-'));
const files = ['train.csv', 'valid.csv', 'test.csv'];

const textFiles = files.map((f) => {
  const p = path.join(tmp, f.replace('.csv', '.txt'));
  fs.writeFileSync(p, sampleTexts(f).join('\n') + '\n');
  return p;
});
const empty = path.join(tmp, 'empty.json');
fs.writeFileSync(empty, JSON.stringify({
  version: '1.0', truncation: null, padding: null, added_tokens: [],
  normalizer: {type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true},
  pre_tokenizer: {type: 'BertPreTokenizer'}, post_processor: null,
  decoder: {type: 'WordPiece', prefix: '##', cleanup: true},
  model: {type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: {}},
}));

function hfRun() {
  const t = tk.Tokenizer.fromFile(empty);
  const t0 = process.hrtime.bigint();
  t.train(textFiles);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const out = path.join(tmp, 'hf.json');
  t.save(out);
  const vocab = JSON.parse(fs.readFileSync(out, 'utf8')).model.vocab;
  return {tokens: Object.keys(vocab).sort((a, b) => vocab[a] - vocab[b]), seconds};
}

const difference = (a, b) => { const sb = new Set(b); return a.filter((t) => !sb.has(t)); };

const hf = [];
for (let r = 0; r < runs; r++) hf.push(hfRun());
const fixture = path.join(root, 'tests/fixtures/tokenizers/hf-wordpiece-trainer');
fs.mkdirSync(fixture, {recursive: true});
fs.writeFileSync(path.join(fixture, 'rutweetcorp-sample.vocab.txt'), hf[0].tokens.join('\n') + '\n');

const ours = path.join(tmp, 'ours');
const t0 = process.hrtime.bigint();
execFileSync(bertcls, ['vocab', '--size', '30005', '--out', ours, '--texts', ...files.map((f) => path.join(sample, f))],
    {stdio: ['ignore', 'ignore', 'inherit']});
const oursSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
const oursTokens = fs.readFileSync(path.join(ours, 'vocab.txt'), 'utf8').split('\n').slice(5, -1);

console.log(`HF: ${hf.map((r) => r.tokens.length).join(', ')} tokens in ${runs} runs, ` +
    `${hf.map((r) => r.seconds.toFixed(2)).join(', ')} s`);
console.log(`bertcls: ${oursTokens.length} tokens (without its 5 special tokens), ${oursSeconds.toFixed(2)} s (the whole command)`);
const sameAsFirst = hf.slice(1).map((r) => difference(r.tokens, hf[0].tokens).length);
console.log(`HF run k against HF run 1: tokens not in run 1: ${sameAsFirst.join(', ')}`);
hf.forEach((r, k) => {
  const onlyHf = difference(r.tokens, oursTokens), onlyOurs = difference(oursTokens, r.tokens);
  console.log(`HF run ${k + 1} against bertcls: ${onlyHf.length} only in HF's, ${onlyOurs.length} only in bertcls'` +
      (k === 0 ? ` (e.g. ${onlyHf.slice(0, 5).join(' ')} / ${onlyOurs.slice(0, 5).join(' ')})` : ''));
});
fs.rmSync(tmp, {recursive: true, force: true});
