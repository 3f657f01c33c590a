// The adversarial inputs of the tokenizer parity test: every rule of HF's BERT pipeline.
// Each case: text, optional pair, add_special_tokens (default true), and optional
// truncation {max_length, strategy, direction} or padding {length, pad_to_multiple_of}.
'use strict';

const words = (word, n) => Array(n).fill(word).join(' ');
const corpusLine = 'пожалуйста почему в моём классе одни девки нас трое кошмар одежда обувь мальчики хочу';
const cases = [
  // Unicode punctuation and ASCII symbols.
  {text: 'Hello, world! ¿Qué tal? «ёлки-палки» — “quotes” ‘single’ … ‹x› 1,000.50 $5+3=8 ^~`|\\@#%&*_-<>'},
  {text: '© ® ™ € £ ¥ ° § ¶ † ‡ • ‰ ′ ″ ← → ∑ √ ∞ ≠ ≤ ♠ ♥ ☃ ⌘ ¬ ¦ ¨ ¯ ´ ¸'},
  {text: '、。〈〉《》「」『』【】〔〕！？（）＂＃：；，．・‐‑‒–—―‖‗'},
  {text: 'a.b,c;d:e!f?g(h)i[j]k{l}m"n\'o/p\\q'},
  {text: '!!!??? ... --- ;;; ((( ))) \'\'\' """ @@@ ### $$$ %%% ^^^ &&& *** ___ +++ === ~~~ ``` ||| \\\\ /// <<< >>>'},
  {text: 'def f(x):\n    return x**2  # square\n\tif (a && b) { c++; } // done;;'},
  {text: 'https://example.com/a?b=c&d=e#f user@example.org C:\\Users\\me 10:30pm 1st 2nd $9.99'},
  // Contractions (GPT-2's regex knows 's 't 're 've 'm 'll 'd, lowercase only).
  {text: "I'm sure you're right, we've seen it; she'll go, he'd come, it's Bob's and don't."},
  {text: "I'M YOU'RE 'tis ''s rock'n'roll o'clock 's 'S 'll' 'd'd ' ' x' 'x"},
  // Digits and number-like runs.
  {text: '1234567890 3.14159 1,000,000 -42 +7 1e10 0x1F 2024-06-01 ١٢٣ ²³ ½ Ⅻ ⑩ 𝟘𝟙'},
  // Accents and combining marks, ё and й composed and decomposed, under lowercasing.
  {text: 'Café naïve résumé Ångström façade Œuvre Ærø Øre ǅungla'},
  {text: 'ёжик Ёлка йогурт ЙОД Ё Й ї Ї ў Ў'},
  {text: 'е\u0308жик и\u0306огурт e\u0301 a\u0308\u0301 o\u0323\u0302 \u0301start'},
  {text: 'Tiếng Việt có dấu: Hà Nội, Đà Nẵng, Nguyễn'},
  {text: 'Ελληνικά: Ά Έ Ή Ί Ό Ύ Ώ ΐ ΰ ά έ ή ί ό ύ ώ'},
  {text: 'हिन्दी देवनागरी क्षत्रिय ಕನ್ನಡ தமிழ் ไทย ภาษาไทย'},
  {text: 'עִבְרִית العَرَبِيَّة فارسی'},
  // Case mappings that change length.
  {text: 'İstanbul İİİ ẞ Straße ΣΑΣ ὈΔΥΣΣΕΎΣ ǅ ǈ ǋ ﬁ ﬂ K Å Ω ȺȾ ⱥ Ꞵ'},
  {text: 'ΆΪΫ ᾼ ῌ ῼ ᾈ ᾏ Ǆ Ǉ Ǌ ǲ ΐ'},
  // CJK ideographs (BMP, extensions A and B, compatibility), kana and Hangul.
  {text: '北京欢迎你 東京都 日本語のテキスト カタカナ'},
  {text: '㐀㐁 𠀀𠀁 𪜀 豈更 丽 丽 한국어 텍스트 ㄱㄴ'},
  {text: 'mixed中文and英文words123数字'},
  // Emoji and ZWJ sequences.
  {text: '👨‍👩‍👧‍👦 family 🏳️‍🌈 flag 👍🏽 ❤️ 😀😃 ☺ 🇷🇺 #️⃣'},
  // Zero-width and control characters.
  {text: 'zero\u200bwidth\u200cnon\u200djoin\ufeffbom \u0000nul \u0007bell \u001b[31mred \u00adsoft\u2060wj \u202ertl\u202c'},
  {text: '\u0001\u0002\u0003 \u007f\u0080\u0085\u009f \ufffd replacement \ufff9\ufffa\ufffb'},
  // Unicode spaces and line breaks.
  {text: 'a\u00a0b\u2000c\u2003d\u3000e\u202ff\u205fg\u1680h\u2028i\u2029j\u0085k\tl\nm\rn\u000bo\u000cp\u180eq'},
  // Whitespace runs: before words, digits, punctuation and the end; tabs and newlines.
  {text: 'a  b   c\t\td\n\ne \t \n f   1  !  \u00a0 x\n'},
  {text: '   leading and trailing   '},
  {text: '\n\nparagraph one.\n\n\tparagraph two\r\n\r\n    indented     '},
  // Byte-level alphabet characters typed in a text.
  {text: 'ĠĠ Ġhello Ċ ĉ Ā ÿ ¡ ¬ ® \u00ad Ń ł'},
  // Words longer than max_input_chars_per_word (100 characters).
  {text: 'a'.repeat(100) + ' ' + 'b'.repeat(101) + ' ' + 'ж'.repeat(101) + ' ' + 'x'.repeat(100) + '!'},
  {text: 'supercalifragilistic'.repeat(6) + ' e\u0301'.repeat(3) + ' ' + 'é'.repeat(60) + 'e\u0301'.repeat(30)},
  // Characters the vocabularies do not have.
  {text: '\ue000 private \u{f0000} plane \u0378 unassigned ᚠᚢᚦ runes 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ℌ ⅷ ① ㍿ 𓀀'},
  {text: '１２３ ＡＢＣ ｶﾀｶﾅ ٣٤٥ ०१२ ½ ² ₃'},
  // SentencePiece's normalization (nmt_nfkc charsmap): clusters replaced whole by a rule
  // matching their start (ﬁ + U+0301), CR LF as one cluster, full-width specials that
  // normalize into special-token text, ▁ typed in a text, Hangul jamo clusters.
  {text: 'ﬁ\u0301 ﬁne ﬂow ① ㎞ ℃ ™ ½ ＜unk＞ ＜s＞x＜/s＞ a＜mask＞'},
  {text: 'line\r\nbreak\r\n \u2581already \u2581\u2581 meta\u2581space\u2581 각 가 각 e\u0301\u0302\u0303'},
  {text: '\u200bstart deleted \u0000\u0001 then\u00ad soft   spaces\u3000\u3000wide'},
  // Special-token strings inside texts.
  {text: '[CLS] hello [SEP] world [MASK][PAD][UNK]'},
  {text: '[SEP][SEP]x[SEP]y [[SEP]] [SEP [cls] [Sep] [ SEP ] Привет [MASK] мир'},
  {text: '[MASK]', add_special_tokens: false},
  {text: 'Hello <mask>! Hello   <mask> x <mask><mask> a<mask>b\t<mask>'},
  {text: '<s>text</s>  world <pad>x<unk>y <s> </s> <mask>', pair: ' <mask> second <s>'},
  {text: '<mask>', add_special_tokens: false},
  {text: '  <mask>  ', truncation: {max_length: 3}},
  // Added tokens matched after normalization (bert-base-uncased-added only).
  {text: 'Say HELLO WORLD, hello   world and Hello World! <ent>x<ent> <ENT> hello world', pair: 'héllo wörld'},
  // Empty and whitespace-only texts.
  {text: ''},
  {text: ' '},
  {text: '\t\n \r'},
  {text: '\u3000\u00a0\u2003'},
  {text: '\u200b\u200d'},
  {text: '', add_special_tokens: false},
  // Texts over 512 tokens (rubert-tiny2's tokenizer.json truncates at 512).
  {text: (corpusLine + ' ').repeat(40)},
  {text: 'word, '.repeat(300)},
  {text: 'a'.repeat(300) + ' ' + '😀'.repeat(50) + ' ' + 'ab'.repeat(100)},
  // Without special tokens.
  {text: 'Привет, мир!', add_special_tokens: false},
  // Pairs.
  {text: 'Привет, мир!', pair: 'ёжик в тумане'},
  {text: 'Who are you?', pair: ''},
  {text: '', pair: 'only the second'},
  {text: '', pair: ''},
  {text: 'first [SEP] has one', pair: 'second [CLS] too'},
  {text: 'no specials', pair: 'in this pair', add_special_tokens: false},
  {text: corpusLine, pair: corpusLine + ' ' + corpusLine},
  // Truncation of singles.
  {text: corpusLine, truncation: {max_length: 10}},
  {text: corpusLine, truncation: {max_length: 10, direction: 'Left'}},
  {text: corpusLine, truncation: {max_length: 3}},
  {text: corpusLine, truncation: {max_length: 2}},
  {text: corpusLine, truncation: {max_length: 10}, add_special_tokens: false},
  {text: corpusLine, truncation: {max_length: 10, strategy: 'OnlyFirst'}},
  // Truncation of pairs, each strategy, both directions, odd and even budgets.
  ...[7, 8, 12, 13, 20, 64].flatMap((max_length) => [
    {text: corpusLine, pair: 'short pair', truncation: {max_length}},
    {text: 'short first', pair: corpusLine, truncation: {max_length}},
    {text: corpusLine, pair: corpusLine + ' более длинный', truncation: {max_length}},
    {text: corpusLine, pair: 'short pair', truncation: {max_length, strategy: 'OnlyFirst'}},
    {text: corpusLine, pair: corpusLine, truncation: {max_length, strategy: 'OnlySecond'}},
    {text: corpusLine, pair: corpusLine, truncation: {max_length, direction: 'Left'}},
  ]),
  {text: 'short first', pair: corpusLine, truncation: {max_length: 12, strategy: 'OnlyFirst'}},
  {text: corpusLine, pair: 'x', truncation: {max_length: 12, strategy: 'OnlySecond'}},
  {text: corpusLine, truncation: {max_length: 12, strategy: 'OnlySecond'}},
  {text: corpusLine, pair: corpusLine, truncation: {max_length: 12}, add_special_tokens: false},
  // Padding.
  {text: 'Привет, мир!', padding: {length: 16}},
  {text: 'Привет, мир!', pair: 'пока', padding: {pad_to_multiple_of: 8}},
  {text: 'Привет, мир!', padding: {length: 16, direction: 'Left'}},
  // Pair truncation after HF's early exit (each text tokenized only up to the word that
  // reaches max_length): first longer, second longer, equal, one under half the budget,
  // odd (max_length 16) and even (15) budgets; a multi-piece word or added tokens past
  // the limit; and both directions.
  ...[15, 16].flatMap((max_length) => [
    [20, 19], [19, 20], [20, 20], [12, 10], [10, 12], [3, 20], [20, 3],
  ].map(([a, b]) => ({text: words('a', a), pair: words('b', b), truncation: {max_length}}))),
  {text: words('a', 20), pair: words('b', 19), truncation: {max_length: 16, direction: 'Left'}},
  {text: words('a', 15) + ' supercalifragilistic', pair: words('b', 20), truncation: {max_length: 16}},
  {text: words('<ent>', 20) + ' a a', pair: words('b', 20), truncation: {max_length: 16}},
  {text: 'a a ' + words('<ent>', 20), pair: words('b', 20), truncation: {max_length: 16, direction: 'Left'}},
];

module.exports = cases;
