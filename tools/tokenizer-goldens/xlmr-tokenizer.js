// Writes tests/fixtures/tokenizers/xlmr-unigram/: a SentencePiece Unigram model trained
// with Debian's spm_train (sentencepiece 0.1.97) the way XLM-R's was (unigram,
// normalization rule nmt_nfkc), and the tokenizer.json transformers' XLMRobertaConverter
// makes of it: <s>=0 <pad>=1 </s>=2 <unk>=3, the model's pieces from its fourth on
// (fairseq's +1 shift), <mask> last; Sequence[Precompiled(the model's charsmap),
// Replace(" {2,}" -> " ")], Metaspace (▁, prepend_scheme always), TemplateProcessing
// <s> $A </s> / <s> $A </s> </s> $B </s>, Metaspace decoder. The file is written by
// tokenizers itself. Corpus: data/rutweetcorp-sample/train.csv's texts plus
// xlmr-extra-corpus.txt (English and other scripts, written for this fixture).
// Usage: node xlmr-tokenizer.js  (from this folder, after npm install; needs spm_train:
// apt-get install sentencepiece)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const {execFileSync} = require('child_process');
const tk = require('tokenizers');

const root = path.resolve(__dirname, '../..');
const out = path.join(root, 'tests/fixtures/tokenizers/xlmr-unigram');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xlmr-'));

const train = fs.readFileSync(path.join(root, 'data/rutweetcorp-sample/train.csv'), 'utf8').split('\n').slice(1)
    .filter((line) => line !== '').map((line) => line.slice(0, line.lastIndexOf(',')));
const extra = fs.readFileSync(path.join(__dirname, 'xlmr-extra-corpus.txt'), 'utf8');
fs.writeFileSync(path.join(work, 'corpus.txt'), train.join('\n') + '\n' + extra);
// hard_vocab_limit=false: the corpus is small, 8000 is a ceiling rather than a demand.
execFileSync('spm_train', [`--input=${path.join(work, 'corpus.txt')}`, `--model_prefix=${path.join(work, 'spm')}`,
  '--vocab_size=8000', '--model_type=unigram', '--normalization_rule_name=nmt_nfkc', '--hard_vocab_limit=false',
  '--num_threads=1'], {stdio: 'ignore'});
const model = fs.readFileSync(path.join(work, 'spm.model'));
fs.mkdirSync(out, {recursive: true});
fs.writeFileSync(path.join(out, 'sentencepiece.bpe.model'), model);  // XLM-R's folders name it so

// --- the few fields of sentencepiece_model.proto the converter reads -----------------------
function* fields(buf) {  // [field number, wire type, value]
  let at = 0;
  const varint = () => {
    let v = 0n, shift = 0n;
    for (;;) {
      const b = buf[at++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint()), wire = key & 7;
    if (wire === 0) yield [key >> 3, wire, varint()];
    else if (wire === 5) yield [key >> 3, wire, buf.subarray(at, at += 4)];
    else if (wire === 1) yield [key >> 3, wire, buf.subarray(at, at += 8)];
    else if (wire === 2) {
      const n = Number(varint());
      yield [key >> 3, wire, buf.subarray(at, at += n)];
    } else throw new Error(`wire type ${wire}`);
  }
}
const pieces = [];  // [piece, score]
let charsmap = null;
for (const [field, , value] of fields(model)) {
  if (field === 1) {  // ModelProto.pieces: SentencePiece {piece = 1, score = 2}
    let piece = '', score = 0;
    for (const [f, , v] of fields(value)) {
      if (f === 1) piece = v.toString('utf8');
      if (f === 2) score = v.readFloatLE(0);
    }
    pieces.push([piece, score]);
  } else if (field === 3) {  // ModelProto.normalizer_spec: precompiled_charsmap = 2
    for (const [f, , v] of fields(value)) if (f === 2) charsmap = Buffer.from(v);
  }
}
if (pieces[0][0] !== '<unk>' || pieces[1][0] !== '<s>' || pieces[2][0] !== '</s>') throw new Error('unexpected specials');

const vocab = [['<s>', 0], ['<pad>', 0], ['</s>', 0], ['<unk>', 0], ...pieces.slice(3), ['<mask>', 0]];
const special = (content, id, lstrip) => ({id, content, single_word: false, lstrip, rstrip: false, normalized: false,
  special: true});
const json = JSON.stringify({
  version: '1.0', truncation: null, padding: null,
  added_tokens: [special('<s>', 0, false), special('<pad>', 1, false), special('</s>', 2, false),
    special('<unk>', 3, false), special('<mask>', vocab.length - 1, true)],
  normalizer: {type: 'Sequence', normalizers: [
    {type: 'Precompiled', precompiled_charsmap: charsmap.toString('base64')},
    {type: 'Replace', pattern: {Regex: ' {2,}'}, content: ' '}]},
  pre_tokenizer: {type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true},
  post_processor: {type: 'TemplateProcessing',
    single: [{SpecialToken: {id: '<s>', type_id: 0}}, {Sequence: {id: 'A', type_id: 0}}, {SpecialToken: {id: '</s>', type_id: 0}}],
    pair: [{SpecialToken: {id: '<s>', type_id: 0}}, {Sequence: {id: 'A', type_id: 0}}, {SpecialToken: {id: '</s>', type_id: 0}},
      {SpecialToken: {id: '</s>', type_id: 0}}, {Sequence: {id: 'B', type_id: 0}}, {SpecialToken: {id: '</s>', type_id: 0}}],
    special_tokens: {'<s>': {id: '<s>', ids: [0], tokens: ['<s>']}, '</s>': {id: '</s>', ids: [2], tokens: ['</s>']}}},
  decoder: {type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true},
  model: {type: 'Unigram', unk_id: 3, vocab, byte_fallback: false},
});
tk.Tokenizer.fromString(json).save(path.join(out, 'tokenizer.json'), false);
fs.rmSync(work, {recursive: true});
process.stderr.write(`${vocab.length} tokens, charsmap of ${charsmap.length} bytes\n`);
