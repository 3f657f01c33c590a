"""The PyTorch side of bench/run.py: tools/reference_bert.py (HF's BertForSequenceClassification
re-implemented, fp32, eager) on pre-tokenized texts, all cores. Prints one JSON line.

    torch_bench.py train MODEL_DIR IDS_JSONL BATCH PAD WARMUP STEPS
        PAD 0: each batch padded to its longest text (dynamic padding), the batches cut
        from length-sorted chunks of a shuffle as bertcls's make_train_batches cuts them;
        PAD 512: every text padded to 512 and plainly shuffled (the tutorial's pipeline).
        One step: forward in train mode (dropout), cross-entropy, backward,
        clip_grad_norm_(1.0), AdamW, zero_grad -- the step bertcls's trainer takes.
    torch_bench.py infer MODEL_DIR IDS_JSONL N ROUNDS LATENCY
        eval + no_grad; the first N texts sorted by length in batches of 32, each padded
        to its longest (as bertcls's TextClassifier sorts them), the median of ROUNDS
        passes; then one text at a time for LATENCY texts: p50, p99.

Run with Debian's PyTorch (/usr/bin/python3) and OMP_WAIT_POLICY=PASSIVE (see TIPS.md).
IDS_JSONL: `bertcls tokenize --max-length 512` output, one {"ids": [...]} per text;
labels alternate 0/1 (speed does not depend on them).
"""
import json
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import reference_bert as ref  # noqa: E402

BUCKET_BATCHES = 50  # train/batching.h kDefaultBucketBatches


def read_ids(path):
    with open(path) as f:
        return [json.loads(line)["ids"] for line in f]


def padded(seqs, pad_to=0):
    """input_ids, token_type_ids, attention_mask [B, S]; S = pad_to or the longest."""
    S = pad_to or max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), S, dtype=torch.long)
    mask = torch.zeros(len(seqs), S, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s[:S])
        mask[i, :len(s)] = 1
    return ids, torch.zeros_like(ids), mask


def train_batches(lengths, batch, seed, bucketed):
    order = list(range(len(lengths)))
    rng = random.Random(seed)
    rng.shuffle(order)
    if not bucketed:
        return [order[i:i + batch] for i in range(0, len(order), batch)]
    batches = []
    chunk = BUCKET_BATCHES * batch
    for c in range(0, len(order), chunk):
        part = sorted(order[c:c + chunk], key=lambda i: lengths[i])
        batches += [part[i:i + batch] for i in range(0, len(part), batch)]
    rng.shuffle(batches)
    return batches


def train(model_dir, ids_path, batch, pad, warmup, steps):
    cfg, p = ref.load_folder(model_dir)
    seqs = read_ids(ids_path)
    params = list(p.values())
    for t in params:
        t.requires_grad_(True)
    opt = torch.optim.AdamW(params, lr=2e-5, weight_decay=0.0)
    batches = train_batches([len(s) for s in seqs], batch, 42, bucketed=pad == 0)
    ends, tokens, samples = [], 0, 0
    for step in range(warmup + steps):
        idx = batches[step]
        ids, types, mask = padded([seqs[i][:pad] if pad else seqs[i] for i in idx], pad)
        labels = torch.tensor([i % 2 for i in idx])
        loss = F.cross_entropy(ref.forward(cfg, p, ids, types, mask, train=True), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad()
        ends.append(time.perf_counter())
        if step >= warmup:
            tokens += int(mask.sum())
            samples += len(idx)
    seconds = ends[-1] - ends[warmup - 1]
    return {"samples_per_s": samples / seconds, "tokens_per_s": tokens / seconds, "step_ms": 1e3 * seconds / steps}


def infer(model_dir, ids_path, n, rounds, latency):
    cfg, p = ref.load_folder(model_dir)
    seqs = read_ids(ids_path)
    by_length = sorted(seqs[:n], key=len)
    batches = [padded(by_length[i:i + 32]) for i in range(0, n, 32)]
    with torch.no_grad():
        run = lambda b: ref.forward(cfg, p, *b)
        run(batches[-1])  # warm-up
        passes = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            for b in batches:
                run(b)
            passes.append(time.perf_counter() - t0)
        ms = []
        for s in seqs[:latency]:
            t0 = time.perf_counter()
            run(padded([s]))
            ms.append(1e3 * (time.perf_counter() - t0))
    passes.sort()
    ms.sort()
    return {"texts_per_s": n / passes[len(passes) // 2], "p50_ms": ms[len(ms) // 2],
            "p99_ms": ms[min(len(ms) - 1, int(0.99 * len(ms)))]}


if __name__ == "__main__":
    torch.set_num_threads(os.cpu_count())
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "train":
        result = train(args[0], args[1], *(int(a) for a in args[2:6]))
    elif mode == "infer":
        result = infer(args[0], args[1], *(int(a) for a in args[2:5]))
    else:
        sys.exit(__doc__)
    print(json.dumps(result))
