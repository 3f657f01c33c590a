r"""PyTorch probes behind README's "from scratch against fastText" findings: ideas tried on
the RuTweetCorp split before (or instead of) building them into bertcls. Not run in CI.

Each probe trains on extra.csv + valid.csv less a stratified 10% validation split (picked
by the seed), as `bertcls train` does from scratch (AdamW lr 1e-3, weight decay 0.01 but not on
biases and LayerNorm, 10% linear warm-up then linear decay, clipping at 1, batches of 32),
keeps the epoch with the best validation macro F1 and prints that epoch's test macro F1.

  bert        the bert-tiny preset with a learned vocabulary, through reference_bert's
              Hugging Face forward: the baseline the others are measured against
  distill     bert, also trained on AUG altered copies of each training text (words dropped,
              replaced, swapped; halves of two texts joined) with a fastText bigram
              teacher's probabilities as soft targets: can a bigram model teach the
              transformer what it knows?
  bag         no attention: each subword's embedding through one GELU layer, mean-pooled
  bag-bigram  the same on (subword, previous subword) pairs: does feeding bigrams help?

    build/bertcls vocab --texts data/rutweetcorp/extra.csv data/rutweetcorp/valid.csv --size 8000 --out /tmp/vocab
    # distill only: the teacher, on extra + valid in fastText's `__label__L text` lines
    for f in extra valid; do tail -n +2 data/rutweetcorp/$f.csv; done | sed -E 's/^(.*),([^,]*)$/__label__\2 \1/' >/tmp/ft.txt
    fasttext supervised -input /tmp/ft.txt -output /tmp/ft -wordNgrams 2 -epoch 25 -lr 0.5 -seed 1 -thread 1
    /usr/bin/python3 tools/from_scratch_probes.py --vocab /tmp/vocab --probe bert --seed 42
    /usr/bin/python3 tools/from_scratch_probes.py --vocab /tmp/vocab --probe distill --teacher /tmp/ft.bin --aug 4
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import unicodedata

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_bert as ref  # noqa: E402
from make_random_checkpoint import initial_tensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class WordPiece:
    """The vocabulary folder's BERT tokenizer for lowercased text: accents stripped (NFD,
    combining marks dropped, as BertNormalizer does with strip_accents), words split at
    whitespace and punctuation, then greedy longest-match-first pieces."""

    def __init__(self, folder, max_length=128):
        with open(os.path.join(folder, "vocab.txt"), encoding="utf-8") as f:
            self.ids = {w.rstrip("\n"): i for i, w in enumerate(f)}
        self.cls, self.sep, self.unk = self.ids["[CLS]"], self.ids["[SEP]"], self.ids["[UNK]"]
        self.max_length = max_length

    def words(self, text):
        text = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")
        spaced = "".join(" %s " % c if unicodedata.category(c).startswith("P") else c for c in text)
        return spaced.split()

    def pieces(self, word):
        out, start = [], 0
        piece = lambda end: word[start:end] if start == 0 else "##" + word[start:end]
        while start < len(word):
            end = len(word)
            while end > start and piece(end) not in self.ids:
                end -= 1
            if end == start:
                return [self.unk]
            out.append(self.ids[piece(end)])
            start = end
        return out

    def __call__(self, text):
        ids = [p for w in self.words(text) for p in self.pieces(w)]
        return [self.cls] + ids[:self.max_length - 2] + [self.sep]


def read_csv(path):
    """(texts, labels) of a `text,label` file without quoting."""
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").rsplit(",", 1) for line in f.readlines()[1:]]
    return [r[0] for r in rows], [int(r[1]) for r in rows]


def stratified_split(labels, share, rng):
    """(train indices, validation indices): `share` of each label's rows held out."""
    train, valid = [], []
    for label in sorted(set(labels)):
        rows = [i for i, y in enumerate(labels) if y == label]
        rng.shuffle(rows)
        n = round(len(rows) * share)
        valid += rows[:n]
        train += rows[n:]
    return train, valid


def macro_f1(pred, gold):
    total = 0.0
    for c in sorted(set(gold)):
        tp = sum(p == c and g == c for p, g in zip(pred, gold))
        fp = sum(p == c and g != c for p, g in zip(pred, gold))
        fn = sum(p != c and g == c for p, g in zip(pred, gold))
        precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        total += 2 * precision * recall / max(precision + recall, 1e-12)
    return total / len(set(gold))


class Bert(nn.Module):
    """bert-tiny (data/bert-tiny/config.json) for the vocabulary, initialised as HF does."""

    def __init__(self, vocab_size, seed):
        super().__init__()
        with open(os.path.join(ROOT, "data", "bert-tiny", "config.json")) as f:
            d = json.load(f)
        d.update(vocab_size=vocab_size, id2label={"0": "0", "1": "1"})
        self.cfg = ref.Config(d)
        tensors = initial_tensors(d, seed)
        self.names = [name for name, _ in tensors]
        self.params = nn.ParameterList(nn.Parameter(torch.from_numpy(value)) for _, value in tensors)

    def forward(self, ids, mask):
        p = dict(zip(self.names, self.params))
        return ref.forward(self.cfg, p, ids, torch.zeros_like(ids), mask, train=self.training)

    def no_decay(self):
        return [p for n, p in zip(self.names, self.params) if n.endswith("bias") or "LayerNorm" in n]


class Bag(nn.Module):
    """Subword (or subword and previous subword) embeddings, one GELU layer, mean pooling."""

    def __init__(self, vocab_size, bigrams, hidden=128, inner=512, dropout=0.5):
        super().__init__()
        self.bigrams = bigrams
        self.embed = nn.Embedding(vocab_size, hidden)
        nn.init.normal_(self.embed.weight, 0, 0.02)
        self.inner = nn.Linear(2 * hidden if bigrams else hidden, inner)
        self.out = nn.Linear(inner, 2)
        self.dropout = nn.Dropout(dropout)

    def forward(self, ids, mask):
        x = self.embed(ids)
        if self.bigrams:
            x = torch.cat([x, torch.cat([torch.zeros_like(x[:, :1]), x[:, :-1]], 1)], -1)
        h = self.dropout(F.gelu(self.inner(self.dropout(x)))) * mask[..., None]
        return self.out(h.sum(1) / mask.sum(1, keepdim=True))

    def no_decay(self):
        return [self.inner.bias, self.out.bias]


def altered(text, corpus_words, corpus_texts, rng):
    """A variant of a text for the teacher to label: with a 30% chance its start joined to
    another text's end, then each word dropped (10%) or replaced by a corpus word (10%),
    and with a 30% chance two neighbours swapped."""
    words = text.split()
    if rng.random() < 0.3 and len(words) > 2:
        other = rng.choice(corpus_texts).split()
        words = words[:rng.randint(1, len(words) - 1)] + other[rng.randint(0, len(other)):]
    out = []
    for w in words:
        r = rng.random()
        if r >= 0.2:
            out.append(w)
        elif r >= 0.1:
            out.append(rng.choice(corpus_words))
    if len(out) > 1 and rng.random() < 0.3:
        i = rng.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out) if out else text


def teacher_positive(model, texts):
    """fastText's probability of label 1 for each text (`predict-prob ... 2`)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in texts))
        f.flush()
        lines = subprocess.run(["fasttext", "predict-prob", model, f.name, "2"], capture_output=True, text=True,
                               check=True).stdout.splitlines()
    out = []
    for line in lines:
        fields = line.split()
        probs = {fields[i]: float(fields[i + 1]) for i in range(0, len(fields), 2)}
        out.append(probs.get("__label__1", 1.0 - probs.get("__label__0", 0.5)))
    return out


def padded(tokenizer, texts):
    ids = [tokenizer(t) for t in texts]
    width = max(map(len, ids))
    batch = torch.zeros(len(ids), width, dtype=torch.long)
    mask = torch.zeros(len(ids), width, dtype=torch.long)
    for i, x in enumerate(ids):
        batch[i, :len(x)] = torch.tensor(x)
        mask[i, :len(x)] = 1
    return batch, mask


def predict(model, tokenizer, texts):
    model.eval()
    with torch.no_grad():
        out = [int(p) for i in range(0, len(texts), 256)
               for p in model(*padded(tokenizer, texts[i:i + 256])).argmax(-1)]
    model.train()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vocab", required=True, help="vocabulary folder from `bertcls vocab`")
    ap.add_argument("--probe", choices=["bert", "distill", "bag", "bag-bigram"], default="bert")
    ap.add_argument("--data", default=os.path.join(ROOT, "data", "rutweetcorp"))
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--teacher", help="distill: fastText supervised model (.bin)")
    ap.add_argument("--aug", type=int, default=4, help="distill: altered copies per training text")
    args = ap.parse_args()
    if args.probe == "distill" and not args.teacher:
        ap.error("--probe distill needs --teacher")
    torch.set_num_threads(os.cpu_count())
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)

    texts, labels = read_csv(os.path.join(args.data, "extra.csv"))
    more_texts, more_labels = read_csv(os.path.join(args.data, "valid.csv"))
    texts, labels = texts + more_texts, labels + more_labels
    test_texts, test_labels = read_csv(os.path.join(args.data, "test.csv"))
    train_rows, valid_rows = stratified_split(labels, 0.1, rng)
    train_texts = [texts[i] for i in train_rows]
    # Each example: (text, gold label, or None and the teacher's probability of label 1).
    examples = [(texts[i], labels[i], None) for i in train_rows]
    if args.probe == "distill":
        words = [w for t in train_texts for w in t.split()]
        variants = [altered(t, words, train_texts, rng) for t in train_texts for _ in range(args.aug)]
        examples += [(t, None, p) for t, p in zip(variants, teacher_positive(args.teacher, variants))]

    tokenizer = WordPiece(args.vocab)
    vocab_size = len(tokenizer.ids)
    model = Bert(vocab_size, args.seed) if args.probe in ("bert", "distill") else Bag(vocab_size, args.probe == "bag-bigram")
    no_decay = {id(p) for p in model.no_decay()}
    optimizer = torch.optim.AdamW([
        {"params": [p for p in model.parameters() if id(p) not in no_decay], "weight_decay": 0.01},
        {"params": [p for p in model.parameters() if id(p) in no_decay], "weight_decay": 0.0}], lr=1e-3)
    steps = args.epochs * math.ceil(len(examples) / 32)
    warmup = int(0.1 * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: s / max(1, warmup) if s < warmup else max(0.0, (steps - s) / max(1, steps - warmup)))

    best_valid, best_test = -1.0, None
    for epoch in range(1, args.epochs + 1):
        rng.shuffle(examples)
        for start in range(0, len(examples), 32):
            batch = examples[start:start + 32]
            logits = model(*padded(tokenizer, [e[0] for e in batch]))
            # Gold rows: cross-entropy; teacher rows: cross-entropy against its two probabilities.
            target = torch.tensor([[1.0 - e[1], float(e[1])] if e[1] is not None else [1.0 - e[2], e[2]]
                                   for e in batch])
            loss = -(target * F.log_softmax(logits, -1)).sum(-1).mean()
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
        valid = macro_f1(predict(model, tokenizer, [texts[i] for i in valid_rows]), [labels[i] for i in valid_rows])
        test = macro_f1(predict(model, tokenizer, test_texts), test_labels)
        print("epoch %d valid macro-F1 %.4f test macro-F1 %.4f" % (epoch, valid, test), flush=True)
        if valid > best_valid:
            best_valid, best_test = valid, test
    print("%s seed %d: test macro-F1 %.4f at the best validation epoch" % (args.probe, args.seed, best_test))


if __name__ == "__main__":
    main()
