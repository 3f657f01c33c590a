// Writes the tokenizer parity goldens under tests/fixtures/tokenizers/ by running Hugging
// Face's tokenizers (the Rust crate, npm binding 0.23.x) on:
//   - every text of data/rutweetcorp (copied to rutweetcorp.txt), and pairs of them;
//   - every code point, in 256-code-point blocks of words "a<c>a";
//   - the adversarial cases of adversarial.js (written to adversarial.jsonl).
// Tokenizers: rubert-tiny2 and bert-base-uncased (data/, their tokenizer.json), mBERT
// cased and uncased as transformers' BertConverter would build them from the fixture's
// vocab.txt, and byte-level BPE: GPT-2's vocabulary in RoBERTa's layout (the fixture
// roberta-tokenizer.js writes), as it is, with add_prefix_space, with GPT-2's
// post-processor (ByteLevel: no special tokens, offsets trimmed), and with the other
// options turned (no regex split, no offset trimming, lstrip and rstrip on every added
// token), and XLM-R's SentencePiece Unigram (the fixture xlmr-tokenizer.js writes), as it
// is and with its options turned (Metaspace prepend_scheme "first" without split, a
// decoder with "never", a literal Replace, every added token normalized) and with
// byte_fallback (the 256 <0xXX> pieces appended, Llama's decoder chain).
// Corpus and code-point goldens are one line per input: "<number of tokens> <FNV-1a 64
// of the encoding>" (see encodingKey), which keeps them small; adversarial goldens are
// full encodings. Usage: node make-goldens.js [tokenizer name...]  (from this folder,
// after npm install; names given: only those tokenizers' goldens are rewritten)
'use strict';
const fs = require('fs');
const path = require('path');
const tk = require('tokenizers');
const adversarial = require('./adversarial.js');

const root = path.resolve(__dirname, '../..');
const data = path.join(root, 'data');
const out = path.join(root, 'tests/fixtures/tokenizers');
fs.mkdirSync(path.join(out, 'goldens'), {recursive: true});

// --- fixtures copied from data/ so the tests depend on nothing outside their folder ---------
// bert-base-multilingual-cased/vocab.txt has no copy in data/: the fixture is its only home.
fs.mkdirSync(path.join(out, 'bert-base-uncased'), {recursive: true});
for (const f of ['tokenizer.json', 'vocab.txt', 'tokenizer_config.json']) {
  fs.copyFileSync(path.join(data, 'bert-base-uncased', f), path.join(out, 'bert-base-uncased', f));
}
fs.writeFileSync(path.join(out, 'bert-base-multilingual-cased/tokenizer_config.json'),
    JSON.stringify({do_lower_case: false}, null, 2) + '\n');

const texts = [];
for (const f of ['valid.csv', 'test.csv', 'extra.csv']) {
  const lines = fs.readFileSync(path.join(data, 'rutweetcorp', f), 'utf8').split('\n').slice(1);
  for (const line of lines) if (line !== '') texts.push(line.slice(0, line.lastIndexOf(',')));
}
fs.writeFileSync(path.join(out, 'rutweetcorp.txt'), texts.join('\n') + '\n');
fs.writeFileSync(path.join(out, 'adversarial.jsonl'), adversarial.map((c) => JSON.stringify(c)).join('\n') + '\n');

// --- mBERT's tokenizer.json, as transformers' BertConverter builds it ----------------------
function bertConverter(vocabFile, lowercase) {
  const vocab = {};
  const lines = fs.readFileSync(vocabFile, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((token, id) => { vocab[token] = id; });  // load_vocab: later duplicates win
  const special = (t) => ({id: vocab[t], content: t, single_word: false, lstrip: false, rstrip: false,
    normalized: false, special: true});
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map(special).sort((a, b) => a.id - b.id);
  return JSON.stringify({
    version: '1.0', truncation: null, padding: null, added_tokens: specials,
    normalizer: {type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase},
    pre_tokenizer: {type: 'BertPreTokenizer'},
    post_processor: {type: 'TemplateProcessing',
      single: [{SpecialToken: {id: '[CLS]', type_id: 0}}, {Sequence: {id: 'A', type_id: 0}}, {SpecialToken: {id: '[SEP]', type_id: 0}}],
      pair: [{SpecialToken: {id: '[CLS]', type_id: 0}}, {Sequence: {id: 'A', type_id: 0}}, {SpecialToken: {id: '[SEP]', type_id: 0}},
        {Sequence: {id: 'B', type_id: 1}}, {SpecialToken: {id: '[SEP]', type_id: 1}}],
      special_tokens: {'[CLS]': {id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]']},
        '[SEP]': {id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]']}}},
    decoder: {type: 'WordPiece', prefix: '##', cleanup: true},
    model: {type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab},
  });
}

const mbertVocab = path.join(out, 'bert-base-multilingual-cased/vocab.txt');
// bert-base-uncased plus two non-special added tokens: one matched on the normalized
// text, one on the raw text (tests/text_tokenizer_parity_test.cpp adds the same).
const withAdded = JSON.parse(fs.readFileSync(path.join(out, 'bert-base-uncased/tokenizer.json'), 'utf8'));
withAdded.added_tokens.push(
    {id: 30522, content: 'Hello World', single_word: false, lstrip: false, rstrip: false, normalized: true, special: false},
    {id: 30523, content: '<ent>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: false});

const tokenizers = {
  'rubert-tiny2': fs.readFileSync(path.join(data, 'rubert-tiny2/tokenizer.json'), 'utf8'),
  'bert-base-uncased': fs.readFileSync(path.join(out, 'bert-base-uncased/tokenizer.json'), 'utf8'),
  'mbert-cased': bertConverter(mbertVocab, false),
  'mbert-uncased': bertConverter(mbertVocab, true),
  'bert-base-uncased-added': JSON.stringify(withAdded),
};
// The RoBERTa layout with add_prefix_space, as RobertaTokenizerFast(add_prefix_space=True)
// converts it (pre-tokenizer and post-processor both).
const robertaJson = fs.readFileSync(path.join(out, 'roberta-gpt2/tokenizer.json'), 'utf8');
const robertaPrefix = JSON.parse(robertaJson);
robertaPrefix.pre_tokenizer.add_prefix_space = true;
robertaPrefix.post_processor.add_prefix_space = true;
tokenizers['roberta-gpt2'] = robertaJson;
tokenizers['roberta-gpt2-prefix'] = JSON.stringify(robertaPrefix);
const robertaBytePost = JSON.parse(robertaJson);
robertaBytePost.post_processor = {type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true};
tokenizers['roberta-gpt2-bytelevel-post'] = JSON.stringify(robertaBytePost);
const robertaOptions = JSON.parse(robertaJson);
robertaOptions.pre_tokenizer.use_regex = false;
robertaOptions.post_processor.trim_offsets = false;
for (const a of robertaOptions.added_tokens) Object.assign(a, {lstrip: true, rstrip: true});
tokenizers['roberta-gpt2-options'] = JSON.stringify(robertaOptions);
tokenizers['xlmr-unigram'] = fs.readFileSync(path.join(out, 'xlmr-unigram/tokenizer.json'), 'utf8');
const xlmrOptions = JSON.parse(tokenizers['xlmr-unigram']);
xlmrOptions.pre_tokenizer = {type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: false};
xlmrOptions.decoder.prepend_scheme = 'never';
xlmrOptions.normalizer.normalizers[1] = {type: 'Replace', pattern: {String: '  '}, content: ' '};
for (const a of xlmrOptions.added_tokens) a.normalized = true;
tokenizers['xlmr-unigram-options'] = JSON.stringify(xlmrOptions);
const xlmrBytes = JSON.parse(tokenizers['xlmr-unigram']);
xlmrBytes.model.byte_fallback = true;
for (let b = 0; b < 256; b++) xlmrBytes.model.vocab.push([`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, 0]);
xlmrBytes.decoder = {type: 'Sequence', decoders: [{type: 'Replace', pattern: {String: '\u2581'}, content: ' '},
  {type: 'ByteFallback'}, {type: 'Fuse'}, {type: 'Strip', content: ' ', start: 1, stop: 0}]};
tokenizers['xlmr-unigram-bytefallback'] = JSON.stringify(xlmrBytes);
const only = new Set(process.argv.slice(2));
const wanted = (name) => only.size === 0 || only.has(name);
const adversarialOnly = new Set(['bert-base-uncased-added', 'roberta-gpt2-prefix', 'roberta-gpt2-bytelevel-post',
  'roberta-gpt2-options', 'xlmr-unigram-options']);
// Each tokenizer's padding token for the padding cases.
const padToken = (name) => (name.startsWith('roberta') || name.startsWith('xlmr') ? '<pad>' : '[PAD]');

// --- encoding key and hash (tests/text_tokenizer_parity_test.cpp computes the same) -------
function encodingKey(e) {
  return [e.getIds(), e.getTypeIds(), e.getOffsets().flat(), e.getSpecialTokensMask(), e.getAttentionMask()]
      .map((a) => a.join(',')).join('|');
}
const MASK = (1n << 64n) - 1n;
function fnv1a64(s) {  // s is ASCII
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) h = ((h ^ BigInt(s.charCodeAt(i))) * 0x100000001b3n) & MASK;
  return h.toString(16).padStart(16, '0');
}
const hashLine = (e) => `${e.getLength()} ${fnv1a64(encodingKey(e))}`;

function codepointBlock(block) {
  const words = [];
  for (let cp = block * 256; cp < block * 256 + 256; cp++) {
    if (cp < 0xD800 || cp > 0xDFFF) words.push('a' + String.fromCodePoint(cp) + 'a');
  }
  return words.join(' ');
}

(async () => {
  for (const [name, json] of Object.entries(tokenizers)) {
    if (!wanted(name)) continue;
    const load = () => tk.Tokenizer.fromString(json);
    const t = load();

    if (!adversarialOnly.has(name)) {
      const corpus = [];
      for (const text of texts) corpus.push(hashLine(await t.encode(text, null)));
      fs.writeFileSync(path.join(out, `goldens/${name}.corpus.txt`), corpus.join('\n') + '\n');

      const raw = load();
      raw.disableTruncation();
      raw.disablePadding();
      const blocks = [];
      for (let b = 0; b < 0x110000 / 256; b++) {
        blocks.push(b >= 0xD8 && b <= 0xDF ? '-' : hashLine(await raw.encode(codepointBlock(b), null)));
      }
      fs.writeFileSync(path.join(out, `goldens/${name}.codepoints.txt`), blocks.join('\n') + '\n');
    }

    const lines = [];
    for (const c of adversarial) {
      const u = c.truncation || c.padding ? load() : t;
      if (c.truncation) {
        u.setTruncation(c.truncation.max_length, {strategy: c.truncation.strategy || 'LongestFirst',
          direction: (c.truncation.direction || 'Right').toLowerCase()});
      }
      if (c.padding) {
        u.setPadding({maxLength: c.padding.length, padToMultipleOf: c.padding.pad_to_multiple_of,
          direction: (c.padding.direction || 'Right').toLowerCase(), padId: u.tokenToId(padToken(name)),
          padToken: padToken(name)});
      }
      try {
        const e = await u.encode(c.text, c.pair === undefined ? null : c.pair,
            {addSpecialTokens: c.add_special_tokens !== false});
        lines.push(JSON.stringify({ids: e.getIds(), type_ids: e.getTypeIds(), tokens: e.getTokens(),
          offsets: e.getOffsets(), special_tokens_mask: e.getSpecialTokensMask(),
          attention_mask: e.getAttentionMask(), decoded: await u.decode(e.getIds(), true),
          decoded_with_special: await u.decode(e.getIds(), false)}));
      } catch (err) {
        lines.push(JSON.stringify({error: String(err.message || err)}));
      }
    }
    fs.writeFileSync(path.join(out, `goldens/${name}.adversarial.jsonl`), lines.join('\n') + '\n');
    process.stderr.write(`${name}: ${lines.length} adversarial cases\n`);
  }

  // Corpus pairs with truncation, on the product's tokenizer, byte-level BPE and Unigram.
  for (const name of ['rubert-tiny2', 'roberta-gpt2', 'xlmr-unigram'].filter(wanted)) {
    const t = tk.Tokenizer.fromString(tokenizers[name]);
    t.setTruncation(40, {strategy: 'LongestFirst'});
    const pairs = [];
    for (let i = 0; i + 1 < texts.length; i += 2) pairs.push(hashLine(await t.encode(texts[i], texts[i + 1])));
    fs.writeFileSync(path.join(out, `goldens/${name}.corpus-pairs.txt`), pairs.join('\n') + '\n');
  }
})();
