"""Writes tests/fixtures/bert/: model folders and parity cases for the BERT engine.

Run from the repository root with Debian's PyTorch:  /usr/bin/python3 tools/make_bert_fixtures.py

Weights are not random draws of torch's generator but a counter-based function of
(seed, tensor name, element index) that src/tensor/rng.h computes bit for bit, so the
C++ tests rebuild the large rubert-tiny2-shaped checkpoints instead of reading them
from committed files (see generated_weight below and tests/support/bert_fixture.h).
"""
import collections
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_bert as ref  # noqa: E402

torch.set_num_threads(2)
OUT = os.path.join("tests", "fixtures", "bert")
SEED = 1234
M = (1 << 64) - 1


def mix64(x):
    """splitmix64's finaliser on uint64 arrays (tensor::mix64)."""
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(M)
    x = ((x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & np.uint64(M)
    x = ((x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & np.uint64(M)
    return x ^ (x >> np.uint64(31))


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for byte in text.encode():
        h = ((h ^ byte) * 0x100000001B3) & M
    return h


def generated_weight(name, shape, seed=SEED, scale=0.125):
    """base + (2u - 1) / 8 with u = CounterRng(seed, fnv1a64(name)).uniform(index); base is 1
    for LayerNorm weights, else 0. The step 1/8 is a power of two: every value is exact, so
    C++ and numpy agree whatever their rounding and contraction."""
    with np.errstate(over="ignore"):
        key = mix64(mix64(np.array([seed], dtype=np.uint64)) ^ np.uint64(fnv1a64(name)))
        idx = np.arange(int(np.prod(shape)), dtype=np.uint64)
        u = (mix64(key ^ mix64(idx)) >> np.uint64(40)).astype(np.float32) * np.float32(2.0 ** -24)
    base = np.float32(1.0 if name.endswith("LayerNorm.weight") or name.endswith("layer_norm.weight") else 0.0)
    return (base + (np.float32(2.0) * u - np.float32(1.0)) * np.float32(scale)).reshape(shape)


def hf_names(d):
    """(name, shape) of the family's <Family>ForSequenceClassification state_dict, in HF's order."""
    family = d.get("model_type", "bert")
    distil = family == "distilbert"
    C = d["dim" if distil else "hidden_size"]
    I = d["hidden_dim" if distil else "intermediate_size"]
    NL = d["n_layers" if distil else "num_hidden_layers"]
    E = d.get("embedding_size", C) if family == "electra" else C
    K = len(d["id2label"])
    base = {"bert": "bert.", "roberta": "roberta.", "xlm-roberta": "roberta.", "distilbert": "distilbert.",
            "electra": "electra."}[family]
    out = [(base + "embeddings.word_embeddings.weight", (d["vocab_size"], E)),
           (base + "embeddings.position_embeddings.weight", (d["max_position_embeddings"], E))]
    if not distil:
        out.append((base + "embeddings.token_type_embeddings.weight", (d["type_vocab_size"], E)))
    out += [(base + "embeddings.LayerNorm.weight", (E,)), (base + "embeddings.LayerNorm.bias", (E,))]
    if E != C:
        out += [(base + "embeddings_project.weight", (C, E)), (base + "embeddings_project.bias", (C,))]
    if distil:
        names = ["attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin", "sa_layer_norm",
                 "ffn.lin1", "ffn.lin2", "output_layer_norm"]
        layers = base + "transformer.layer.%d."
    else:
        names = ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                 "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm"]
        layers = base + "encoder.layer.%d."
    shapes = [(C, C), (C, C), (C, C), (C, C), (C,), (I, C), (C, I), (C,)]
    for l in range(NL):
        for n, shape in zip(names, shapes):
            out += [(layers % l + n + ".weight", shape), (layers % l + n + ".bias", (shape[0],))]
    dense, head = {"bert": ("bert.pooler.dense", "classifier"), "distilbert": ("pre_classifier", "classifier")}.get(
        family, ("classifier.dense", "classifier.out_proj"))
    out += [(dense + ".weight", (C, C)), (dense + ".bias", (C,)), (head + ".weight", (K, C)), (head + ".bias", (K,))]
    return out


def config(vocab, hidden, layers, heads, inter, positions, labels, **extra):
    d = {"architectures": ["BertForSequenceClassification"], "model_type": "bert",
         "attention_probs_dropout_prob": 0.1, "hidden_dropout_prob": 0.1, "classifier_dropout": None,
         "hidden_act": "gelu", "hidden_size": hidden, "initializer_range": 0.02, "intermediate_size": inter,
         "layer_norm_eps": 1e-12, "max_position_embeddings": positions, "num_attention_heads": heads,
         "num_hidden_layers": layers, "pad_token_id": 0, "position_embedding_type": "absolute",
         "type_vocab_size": 2, "vocab_size": vocab,
         "id2label": {str(i): n for i, n in enumerate(labels)}, "label2id": {n: i for i, n in enumerate(labels)}}
    d.update(extra)
    return d


def family_config(family, vocab, hidden, layers, heads, inter, positions, labels, **extra):
    """config.json of a non-BERT family, with its own key names (DistilBERT's differ)."""
    if family == "distilbert":
        d = {"architectures": ["DistilBertForSequenceClassification"], "model_type": "distilbert",
             "activation": "gelu", "attention_dropout": 0.1, "dim": hidden, "dropout": 0.1, "hidden_dim": inter,
             "initializer_range": 0.02, "max_position_embeddings": positions, "n_heads": heads, "n_layers": layers,
             "pad_token_id": 0, "seq_classif_dropout": 0.2, "sinusoidal_pos_embds": False, "vocab_size": vocab,
             "id2label": {str(i): n for i, n in enumerate(labels)}, "label2id": {n: i for i, n in enumerate(labels)}}
    else:
        architecture = {"roberta": "RobertaForSequenceClassification", "electra": "ElectraForSequenceClassification"}
        d = config(vocab, hidden, layers, heads, inter, positions, labels, model_type=family,
                   architectures=[architecture[family]])
    d.update(extra)
    return d


MODELS = {
    "micro": config(99, 32, 2, 4, 37, 40, ["neg", "neu", "pos"]),
    # RoBERTa: padding_idx 1, positions from 2 (so 42 rows for 40 tokens), one token type.
    "micro_roberta": family_config("roberta", 99, 32, 2, 4, 37, 42, ["neg", "neu", "pos"], pad_token_id=1,
                                   type_vocab_size=1, layer_norm_eps=1e-5),
    "micro_distilbert": family_config("distilbert", 99, 32, 2, 4, 37, 40, ["neg", "neu", "pos"]),
    # Fixed sin/cos positions that never train (requires_grad False, as HF makes them).
    "micro_distilbert_sinusoidal": family_config("distilbert", 99, 32, 2, 4, 37, 40, ["neg", "neu", "pos"],
                                                 sinusoidal_pos_embds=True),
    # ELECTRA: embeddings of 16 projected to the hidden 32.
    "micro_electra": family_config("electra", 99, 32, 2, 4, 37, 40, ["neg", "neu", "pos"], embedding_size=16),
    # The real architectures of roberta-base, distilbert-base-uncased and
    # electra-small-discriminator, each vocabulary cut to 512 rows as tiny2's is.
    "roberta_base_shape": family_config("roberta", 512, 768, 12, 12, 3072, 514, ["negative", "positive"],
                                        pad_token_id=1, type_vocab_size=1, layer_norm_eps=1e-5, bertcls_fixture_weight_scale=0.03125),
    "distilbert_base_shape": family_config("distilbert", 512, 768, 6, 12, 3072, 512, ["negative", "positive"], bertcls_fixture_weight_scale=0.03125),
    "electra_small_shape": family_config("electra", 512, 256, 12, 4, 1024, 512, ["negative", "positive"],
                                         embedding_size=128, bertcls_fixture_weight_scale=0.03125),
    "micro_regression": config(99, 32, 2, 4, 37, 40, ["score"]),
    # rubert-tiny2's architecture (hidden 312, 3 layers, 12 heads, intermediate 600,
    # 2048 positions) with the vocabulary cut from 83,828 to 512 rows.
    "tiny2_single": config(512, 312, 3, 12, 600, 2048, ["negative", "positive"]),
    "tiny2_multi": config(512, 312, 3, 12, 600, 2048, ["a", "b", "c", "d"]),
    "tiny2_regression": config(512, 312, 3, 12, 600, 2048, ["score"]),
}


def write_json(path, d):
    with open(path, "w") as f:
        json.dump(d, f, indent=2, sort_keys=True)
        f.write("\n")


def build_models():
    for model, d in MODELS.items():
        folder = os.path.join(OUT, model)
        os.makedirs(folder, exist_ok=True)
        write_json(os.path.join(folder, "config.json"), d)
    # micro also exists as files, in both formats HF writes.
    d = MODELS["micro"]
    tensors = [(n, generated_weight(n, s)) for n, s in hf_names(d)]
    ref.write_safetensors(os.path.join(OUT, "micro", "model.safetensors"), tensors)
    torch.save(collections.OrderedDict((n, torch.from_numpy(a.copy())) for n, a in tensors),
               os.path.join(OUT, "micro", "pytorch_model.bin"))
    # A BertForPreTraining-like checkpoint of a bare BertModel: no "bert." prefix, old
    # LayerNorm names gamma/beta in the embeddings, cls.* pre-training heads, no classifier.
    folder = os.path.join(OUT, "micro_pretraining")
    os.makedirs(folder, exist_ok=True)
    bare = {k: v for k, v in d.items() if k not in ("id2label", "label2id")}
    bare["architectures"] = ["BertForPreTraining"]
    write_json(os.path.join(folder, "config.json"), bare)
    out = []
    for n, a in tensors:
        if n.startswith("classifier."):
            continue
        n = n[len("bert."):].replace("embeddings.LayerNorm.weight", "embeddings.LayerNorm.gamma")
        out.append((n.replace("embeddings.LayerNorm.bias", "embeddings.LayerNorm.beta"), a))
    C, V = d["hidden_size"], d["vocab_size"]
    out += [("cls.predictions.bias", generated_weight("cls.predictions.bias", (V,))),
            ("cls.predictions.transform.dense.weight", generated_weight("cls.predictions.transform.dense.weight", (C, C))),
            ("cls.seq_relationship.weight", generated_weight("cls.seq_relationship.weight", (2, C)))]
    ref.write_safetensors(os.path.join(folder, "model.safetensors"), out)


def padded_batch(rng, vocab, lengths, S, pair_at=None, pad_id_inside=False, pad=0):
    """input_ids, token_type_ids, attention_mask [B, S]: right-padded with `pad`, [CLS]=2
    first, ids of real tokens above the pad; pair_at[b] > 0 starts segment B there."""
    B = len(lengths)
    ids = np.full((B, S), pad, np.int64)
    types = np.zeros((B, S), np.int64)
    mask = np.zeros((B, S), np.int64)
    for b, L in enumerate(lengths):
        ids[b, :L] = rng.integers(pad + 1, vocab, L)
        ids[b, 0] = 2
        mask[b, :L] = 1
        if pair_at is not None and pair_at[b] > 0:
            types[b, pair_at[b]:L] = 1
    if pad_id_inside:
        ids[0, 3] = 0  # [PAD] as a real token: its embedding row gets no gradient (padding_idx)
    return ids, types, mask


CASES = [
    # name, model, lengths, S, pairs, labels kind, class weights, pad id inside
    ("micro_single_padded", "micro", [12, 5, 9, 1], 12, None, "class", None, True),
    ("micro_pairs_weighted", "micro", [14, 6, 10], 14, [8, 3, 6], "class", [0.2, 1.0, 2.5], False),
    ("micro_multi_label", "micro", [7, 11, 3, 9], 11, None, "float", None, False),
    ("micro_regression", "micro_regression", [6, 10, 2, 8], 10, [3, 0, 0, 5], "float", None, False),
    ("tiny2_single_pairs", "tiny2_single", [40, 23, 7, 31], 40, [20, 12, 0, 15], "class", None, False),
    ("tiny2_multi_label", "tiny2_multi", [20, 9, 14], 20, None, "float", None, False),
    ("tiny2_regression", "tiny2_regression", [16, 5, 12], 16, [8, 0, 6], "float", None, False),
    ("roberta_single_padded", "micro_roberta", [12, 5, 9, 1], 12, None, "class", None, False),
    ("distilbert_single_padded", "micro_distilbert", [12, 5, 9, 1], 12, None, "class", None, True),
    ("distilbert_sinusoidal", "micro_distilbert_sinusoidal", [12, 5, 9, 1], 12, None, "class", None, False),
    ("electra_pairs", "micro_electra", [14, 6, 10], 14, [8, 3, 6], "class", None, False),
    ("roberta_base_single", "roberta_base_shape", [40, 23, 7, 31], 40, None, "class", None, False),
    ("distilbert_base_single", "distilbert_base_shape", [40, 23, 7, 31], 40, None, "class", None, False),
    ("electra_small_pairs", "electra_small_shape", [40, 23, 7, 31], 40, [20, 12, 0, 15], "class", None, False),
]
GRAD_SAMPLES = 64


def sinusoidal(n_pos, dim):
    """DistilBERT's create_sinusoidal_embeddings, in float64 and then float32."""
    enc = np.array([[pos / np.power(10000, 2 * (j // 2) / dim) for j in range(dim)] for pos in range(n_pos)])
    out = np.zeros((n_pos, dim), np.float32)
    out[:, 0::2] = np.sin(enc[:, 0::2])
    out[:, 1::2] = np.cos(enc[:, 1::2])
    return out


# Deep models at the real shapes take weights of +-1/32 (a power of two: still exact):
# at +-1/8, twelve layers saturate attention and the query gradients are rounding noise.
SCALE_KEY = "bertcls_fixture_weight_scale"


def initial_params(d):
    """name -> tensor: the generated weights, and fixed sinusoidal positions (no gradient)
    where the config asks for them."""
    params = {}
    for n, s in hf_names(d):
        if d.get("sinusoidal_pos_embds") and n.endswith("embeddings.position_embeddings.weight"):
            params[n] = torch.from_numpy(sinusoidal(*s))
        else:
            params[n] = torch.from_numpy(generated_weight(n, s, scale=d.get(SCALE_KEY, 0.125))).requires_grad_(True)
    return params


def build_case(name, model, lengths, S, pairs, kind, weights, pad_inside):
    d = MODELS[model]
    cfg = ref.Config(d)
    params = initial_params(d)
    rng = np.random.default_rng(fnv1a64(name) & 0xFFFFFFFF)
    ids, types, mask = padded_batch(rng, d["vocab_size"], lengths, S, pairs, pad_inside, cfg.pad)
    B, K = len(lengths), cfg.num_labels
    if kind == "class":
        labels = torch.from_numpy(rng.integers(0, K, B))
    elif cfg.num_labels == 1:
        labels = torch.from_numpy(rng.normal(0.0, 1.0, B).astype(np.float32))
    else:
        labels = torch.from_numpy(rng.choice([0.0, 1.0, 0.25], (B, K)).astype(np.float32))
    cw = None if weights is None else torch.tensor(weights, dtype=torch.float32)
    logits = ref.forward(cfg, params, torch.from_numpy(ids), torch.from_numpy(types), torch.from_numpy(mask))
    loss, problem = ref.loss_of(cfg, logits, labels, cw)
    loss.backward()

    f32 = lambda a: np.asarray(a, dtype=np.float32)
    out = [("input_ids", f32(ids)), ("token_type_ids", f32(types)), ("attention_mask", f32(mask)),
           ("class_labels" if kind == "class" else "float_labels", f32(labels.numpy()).reshape(B, -1)),
           ("logits", logits.detach().numpy()), ("loss", f32([loss.item()]))]
    if cw is not None:
        out.append(("class_weights", cw.numpy()))
    for n, s in hf_names(d):
        g = np.zeros(int(np.prod(s)), np.float32) if params[n].grad is None else params[n].grad.numpy().reshape(-1)
        if model.startswith("micro"):
            out.append(("grad/" + n, g.reshape(s)))
            continue
        # Large tensors: a fixed sample of entries, the largest magnitude, the norm.
        idx = np.unique(np.concatenate([np.arange(min(16, g.size)),
                                        np.random.default_rng(fnv1a64(n) & 0xFFFF).integers(0, g.size, GRAD_SAMPLES - 16),
                                        [int(np.argmax(np.abs(g)))]]))
        out += [("grad_index/" + n, f32(idx)), ("grad_sample/" + n, g[idx]),
                ("grad_absmax/" + n, f32([np.abs(g).max()])), ("grad_norm/" + n, f32([np.linalg.norm(g.astype(np.float64))]))]
    os.makedirs(os.path.join(OUT, "cases"), exist_ok=True)
    ref.write_safetensors(os.path.join(OUT, "cases", name + ".safetensors"), out)
    print("%-22s %-28s loss %.6f  logits absmax %.3f" % (name, problem, loss.item(), logits.abs().max().item()))


# Fine-tuning trajectories of the other families: the case's batch every step, AdamW in
# the Trainer's two groups (weight decay 0.01 but for biases and LayerNorm weights), a
# linear schedule with warm-up, clip_grad_norm_(1.0), dropout off.
TRAJECTORIES = ["roberta_single_padded", "distilbert_single_padded", "distilbert_sinusoidal", "electra_pairs"]
TRAJECTORY = {"steps": 8, "lr": 1e-2, "warmup": 2, "weight_decay": 0.01, "max_grad_norm": 1.0}


def trainer_decays(name):
    return "LayerNorm" not in name and "layer_norm" not in name and "bias" not in name


def train_steps(params, names, loss_fn):
    """TRAJECTORY's steps of loss_fn() over params[n] for the (n, shape) in names: AdamW in
    the Trainer's two groups, the linear schedule with warm-up, clip_grad_norm_. Returns
    the losses and the norms before clipping."""
    t = TRAJECTORY
    groups = [{"params": [params[n] for n, _ in names if trainer_decays(n)], "weight_decay": t["weight_decay"]},
              {"params": [params[n] for n, _ in names if not trainer_decays(n)], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=t["lr"])
    total, warmup = t["steps"], t["warmup"]
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: k / max(1, warmup) if k < warmup else max(0.0, (total - k) / max(1, total - warmup)))
    losses, norms = [], []
    for _ in range(total):
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_([params[n] for n, _ in names], t["max_grad_norm"]).item())
        losses.append(loss.item())
        opt.step()
        sched.step()
    return losses, norms


def build_trajectory(name):
    _, model, lengths, S, pairs, kind, weights, pad_inside = next(c for c in CASES if c[0] == name)
    assert kind == "class" and weights is None
    d = MODELS[model]
    cfg = ref.Config(d)
    params = initial_params(d)
    names = [(n, s) for n, s in hf_names(d) if params[n].requires_grad]  # the Trainer optimizes these only
    rng = np.random.default_rng(fnv1a64(name) & 0xFFFFFFFF)
    ids, types, mask = (torch.from_numpy(a) for a in padded_batch(rng, d["vocab_size"], lengths, S, pairs, pad_inside, cfg.pad))
    labels = torch.from_numpy(rng.integers(0, cfg.num_labels, len(lengths)))
    losses, norms = train_steps(params, names, lambda: ref.loss_of(cfg, ref.forward(cfg, params, ids, types, mask), labels)[0])
    final = ref.forward(cfg, params, ids, types, mask).detach().numpy()
    out = dict(TRAJECTORY, losses=losses, grad_norms=norms, final_logits=final.reshape(-1).tolist())
    os.makedirs(os.path.join(OUT, "trajectories"), exist_ok=True)
    write_json(os.path.join(OUT, "trajectories", name + ".json"), out)
    print("%-24s losses %s" % (name, " ".join("%.5f" % x for x in losses)))


def main():
    build_models()
    for case in CASES:
        build_case(*case)
    for name in TRAJECTORIES:
        build_trajectory(name)


if __name__ == "__main__":
    main()
