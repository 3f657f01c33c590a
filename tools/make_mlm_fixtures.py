"""Writes the masked-LM parity fixtures under tests/fixtures/bert/: BertForMaskedLM model
folders (config.json only; the weights are make_bert_fixtures.py's generated ones) and
cases/mlm_*.safetensors: a padded batch, its labels (-100 but at the masked tokens), the
reference's logits at the masked tokens, the loss and every parameter's gradient.

Run from the repository root with Debian's PyTorch:  /usr/bin/python3 tools/make_mlm_fixtures.py
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_bert_fixtures as mbf  # noqa: E402
import reference_bert as ref  # noqa: E402

torch.set_num_threads(2)
MASK_ID = 4  # [MASK] in these fixtures' made-up vocabularies ([CLS] is 2, as padded_batch makes it)


def mlm_config(vocab, hidden, layers, heads, inter, positions, **extra):
    return mbf.config(vocab, hidden, layers, heads, inter, positions, ["LABEL_0", "LABEL_1"],
                      architectures=["BertForMaskedLM"], **extra)


MODELS = {
    "micro_mlm": mlm_config(99, 32, 2, 4, 37, 40),
    # rubert-tiny2's architecture, vocabulary cut to 512 rows; the tanh GELU in both heads.
    "tiny2_mlm": mlm_config(512, 312, 3, 12, 600, 2048, hidden_act="gelu_new"),
}


def mlm_names(d):
    """(name, shape) of BertForMaskedLM's state_dict: the encoder (no pooler) and
    cls.predictions, whose decoder weight is the word embeddings (tied, not a tensor)."""
    C, V = d["hidden_size"], d["vocab_size"]
    base = [(n, s) for n, s in mbf.hf_names(d) if n.startswith("bert.") and not n.startswith("bert.pooler.")]
    return base + [("cls.predictions.transform.dense.weight", (C, C)), ("cls.predictions.transform.dense.bias", (C,)),
                   ("cls.predictions.transform.LayerNorm.weight", (C,)),
                   ("cls.predictions.transform.LayerNorm.bias", (C,)), ("cls.predictions.bias", (V,))]


CASES = [
    # name, model, lengths, S, pairs
    ("mlm_micro", "micro_mlm", [12, 5, 9, 1], 12, None),
    ("mlm_tiny2_pairs", "tiny2_mlm", [40, 23, 7, 31], 40, [20, 12, 0, 15]),
]


def build_case(name, model, lengths, S, pairs):
    d = MODELS[model]
    cfg = ref.Config(d)
    params = {n: torch.from_numpy(mbf.generated_weight(n, s)).requires_grad_(True) for n, s in mlm_names(d)}
    rng = np.random.default_rng(mbf.fnv1a64(name) & 0xFFFFFFFF)
    ids, types, mask = mbf.padded_batch(rng, d["vocab_size"], lengths, S, pairs)
    # A fixed mask over the real tokens but [CLS]: about one in three, at least one.
    labels = np.full(ids.shape, -100, np.int64)
    chosen = (rng.random(ids.shape) < 0.35) & (mask == 1)
    chosen[:, 0] = False
    chosen[0, 1] = True
    labels[chosen] = ids[chosen]
    ids = ids.copy()
    ids[chosen & (rng.random(ids.shape) < 0.8)] = MASK_ID
    scores, loss = ref.forward_masked_lm(cfg, params, torch.from_numpy(ids), torch.from_numpy(types),
                                         torch.from_numpy(mask), torch.from_numpy(labels))
    loss.backward()
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    masked_logits = scores.detach().numpy()[labels != -100]  # row-major: the packed order
    out = [("input_ids", f32(ids)), ("token_type_ids", f32(types)), ("attention_mask", f32(mask)),
           ("mlm_labels", f32(labels)), ("masked_logits", masked_logits), ("loss", f32([loss.item()]))]
    for n, s in mlm_names(d):
        g = params[n].grad.numpy().reshape(-1)
        if model.startswith("micro"):
            out.append(("grad/" + n, g.reshape(s)))
            continue
        # Large tensors: make_bert_fixtures.py's sample of entries, the largest, the norm.
        idx = np.unique(np.concatenate([np.arange(min(16, g.size)),
                                        np.random.default_rng(mbf.fnv1a64(n) & 0xFFFF).integers(0, g.size, mbf.GRAD_SAMPLES - 16),
                                        [int(np.argmax(np.abs(g)))]]))
        out += [("grad_index/" + n, f32(idx)), ("grad_sample/" + n, g[idx]),
                ("grad_absmax/" + n, f32([np.abs(g).max()])), ("grad_norm/" + n, f32([np.linalg.norm(g.astype(np.float64))]))]
    os.makedirs(os.path.join(mbf.OUT, "cases"), exist_ok=True)
    ref.write_safetensors(os.path.join(mbf.OUT, "cases", name + ".safetensors"), out)
    print("%-18s %d masked  loss %.6f  logits absmax %.3f" % (name, masked_logits.shape[0], loss.item(),
                                                              np.abs(masked_logits).max()))


# A few pre-training steps on mlm_micro's batch, as `bertcls pretrain` composes them with
# dropout off and a fixed mask (make_bert_fixtures.py's TRAJECTORY and train_steps). The
# tied decoder's gradient moves every word-embedding row.
def build_trajectory(name, model, lengths, S, pairs):
    d = MODELS[model]
    cfg = ref.Config(d)
    names = mlm_names(d)
    params = {n: torch.from_numpy(mbf.generated_weight(n, s)).requires_grad_(True) for n, s in names}
    case = ref.read_safetensors(os.path.join(mbf.OUT, "cases", name + ".safetensors"))
    ids, types, mask, labels = (case[k].long() for k in ("input_ids", "token_type_ids", "attention_mask", "mlm_labels"))
    losses, norms = mbf.train_steps(params, names,
                                    lambda: ref.forward_masked_lm(cfg, params, ids, types, mask, labels)[1])
    scores, _ = ref.forward_masked_lm(cfg, params, ids, types, mask, labels)
    final = scores.detach().numpy()[labels.numpy() != -100]
    out = dict(mbf.TRAJECTORY, losses=losses, grad_norms=norms, final_masked_logits=final.reshape(-1).tolist())
    os.makedirs(os.path.join(mbf.OUT, "trajectories"), exist_ok=True)
    mbf.write_json(os.path.join(mbf.OUT, "trajectories", name + ".json"), out)
    print("%-18s losses %s" % (name, " ".join("%.5f" % x for x in losses)))


def main():
    for model, d in MODELS.items():
        folder = os.path.join(mbf.OUT, model)
        os.makedirs(folder, exist_ok=True)
        mbf.write_json(os.path.join(folder, "config.json"), d)
    for case in CASES:
        build_case(*case)
    build_trajectory(*CASES[0])


if __name__ == "__main__":
    main()
