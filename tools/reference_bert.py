"""A PyTorch reference of Hugging Face's BERT-family classifiers (eager, fp32):
BertForSequenceClassification, RobertaForSequenceClassification (and XLM-RoBERTa's),
DistilBertForSequenceClassification and ElectraForSequenceClassification; and of
BertForMaskedLM (modeling_bert.py's BertOnlyMLMHead, decoder tied to the word embeddings).

transformers is not installable here, so this re-implements their forwards
(modeling_bert.py: BertEmbeddings, BertSelfAttention with the extended attention mask
(1 - mask) * finfo.min, BertSelfOutput, BertIntermediate, BertOutput, BertPooler, dropout +
classifier; modeling_roberta.py: create_position_ids_from_input_ids and
RobertaClassificationHead; modeling_distilbert.py: Embeddings, MultiHeadSelfAttention
with q scaled before the product and masked_fill, TransformerBlock, pre_classifier;
modeling_electra.py: embeddings_project and ElectraClassificationHead) and the loss as
the classifiers choose it, on plain tensors named as HF's state_dict names them.
Autograd gives every gradient.

Run with Debian's PyTorch: /usr/bin/python3 (see make_bert_fixtures.py, check_saved_folder.py).
"""
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": None, "I64": np.int64}


def read_safetensors(path):
    """name -> float32 torch tensor; parsed by hand (8-byte length, JSON header, raw data)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[begin:end]
        if info["dtype"] == "BF16":
            words = np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16
            arr = words.view(np.float32)
        else:
            arr = np.frombuffer(raw, dtype=DTYPES[info["dtype"]]).astype(np.float32)
        out[name] = torch.from_numpy(arr.copy()).reshape(info["shape"])
    return out


def write_safetensors(path, tensors):
    """tensors: list of (name, float32 numpy array), written as F32 in the given order."""
    header, chunks, offset = {}, [], 0
    for name, arr in tensors:
        arr = np.ascontiguousarray(arr, dtype=np.float32)
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + arr.nbytes]}
        chunks.append(arr.tobytes())
        offset += arr.nbytes
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


ACTIVATIONS = {
    "gelu": lambda x: F.gelu(x),
    "gelu_new": lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0)))),
    "gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "relu": F.relu,
    "silu": F.silu,
}


BASE_PREFIX = {"bert": "bert.", "roberta": "roberta.", "xlm-roberta": "roberta.", "distilbert": "distilbert.",
               "electra": "electra."}


class Config:
    def __init__(self, d):
        self.d = d
        self.family = d.get("model_type", "bert")
        distil = self.family == "distilbert"
        self.C = d["dim" if distil else "hidden_size"]
        self.E = d.get("embedding_size", self.C) if self.family == "electra" else self.C
        self.NL = d["n_layers" if distil else "num_hidden_layers"]
        self.NH = d["n_heads" if distil else "num_attention_heads"]
        self.HS = self.C // self.NH
        self.eps = 1e-12 if distil else d.get("layer_norm_eps", 1e-12)
        self.act = ACTIVATIONS[d.get("activation" if distil else "hidden_act", "gelu")]
        self.pad = d.get("pad_token_id", 1 if self.family in ("roberta", "xlm-roberta") else 0)
        self.num_labels = len(d["id2label"]) if "id2label" in d else d.get("num_labels", 2)
        self.problem_type = d.get("problem_type")
        self.hidden_dropout = d.get("dropout" if distil else "hidden_dropout_prob", 0.1)
        self.attention_dropout = d.get("attention_dropout" if distil else "attention_probs_dropout_prob", 0.1)
        if distil:
            self.classifier_dropout = d.get("seq_classif_dropout", 0.2)
        else:
            cd = d.get("classifier_dropout")
            self.classifier_dropout = self.hidden_dropout if cd is None else cd


def load_folder(folder):
    """(Config, params) of a model folder: config.json + model.safetensors with HF names."""
    with open(os.path.join(folder, "config.json")) as f:
        cfg = Config(json.load(f))
    params = read_safetensors(os.path.join(folder, "model.safetensors"))
    return cfg, params


def forward(cfg, p, input_ids, token_type_ids, attention_mask, train=False):
    """logits [B, K] of a padded batch, as <Family>ForSequenceClassification.forward."""
    if cfg.family == "distilbert":
        return forward_distilbert(cfg, p, input_ids, attention_mask, train)
    h = encode(cfg, p, input_ids, token_type_ids, attention_mask, train)
    g = lambda n: p[BASE_PREFIX[cfg.family] + n]
    lin = lambda x, n: F.linear(x, g(n + ".weight"), g(n + ".bias"))
    drop = lambda x, rate: F.dropout(x, rate, train)
    head = lambda x, n: F.linear(x, p[n + ".weight"], p[n + ".bias"])
    if cfg.family == "bert":
        pooled = torch.tanh(lin(h[:, 0], "pooler.dense"))
        return head(drop(pooled, cfg.classifier_dropout), "classifier")
    # RobertaClassificationHead (tanh) and ElectraClassificationHead (hidden_act).
    x = head(drop(h[:, 0], cfg.classifier_dropout), "classifier.dense")
    x = torch.tanh(x) if cfg.family in ("roberta", "xlm-roberta") else cfg.act(x)
    return head(drop(x, cfg.classifier_dropout), "classifier.out_proj")


def forward_masked_lm(cfg, p, input_ids, token_type_ids, attention_mask, labels, train=False):
    """(prediction_scores [B, S, V], loss) as BertForMaskedLM.forward: BertLMPredictionHead
    (transform: dense, hidden_act, LayerNorm; decoder tied to the word embeddings, plus
    cls.predictions.bias) on every token, CrossEntropyLoss over the labels that are not -100."""
    assert cfg.family == "bert"
    h = encode(cfg, p, input_ids, token_type_ids, attention_mask, train)
    t = F.linear(h, p["cls.predictions.transform.dense.weight"], p["cls.predictions.transform.dense.bias"])
    t = F.layer_norm(cfg.act(t), (cfg.C,), p["cls.predictions.transform.LayerNorm.weight"],
                     p["cls.predictions.transform.LayerNorm.bias"], cfg.eps)
    scores = F.linear(t, p["bert.embeddings.word_embeddings.weight"], p["cls.predictions.bias"])
    loss = F.cross_entropy(scores.view(-1, scores.shape[-1]), labels.view(-1), ignore_index=-100)
    return scores, loss


def encode(cfg, p, input_ids, token_type_ids, attention_mask, train=False):
    """The encoder's last hidden states [B, S, C] of a padded batch (BERT, RoBERTa, ELECTRA)."""
    B, S = input_ids.shape
    g = lambda n: p[BASE_PREFIX[cfg.family] + n]
    lin = lambda x, n: F.linear(x, g(n + ".weight"), g(n + ".bias"))
    ln = lambda x, n, width=cfg.C: F.layer_norm(x, (width,), g(n + ".weight"), g(n + ".bias"), cfg.eps)
    drop = lambda x, rate: F.dropout(x, rate, train)

    # (word + token type) + absolute position, LayerNorm, dropout. RoBERTa's positions:
    # create_position_ids_from_input_ids, counting real tokens from padding_idx + 1.
    emb = F.embedding(input_ids, g("embeddings.word_embeddings.weight"), padding_idx=cfg.pad)
    emb = emb + F.embedding(token_type_ids, g("embeddings.token_type_embeddings.weight"))
    if cfg.family in ("roberta", "xlm-roberta"):
        real = input_ids.ne(cfg.pad).int()
        position_ids = (torch.cumsum(real, dim=1).type_as(real) * real).long() + cfg.pad
    else:
        position_ids = torch.arange(S).unsqueeze(0)
    emb = emb + F.embedding(position_ids, g("embeddings.position_embeddings.weight"))
    h = drop(ln(emb, "embeddings.LayerNorm", cfg.E), cfg.hidden_dropout)
    if cfg.family == "electra" and cfg.E != cfg.C:
        h = lin(h, "embeddings_project")

    # get_extended_attention_mask: [B, 1, 1, S], 0 for tokens, finfo.min for pads.
    ext = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min

    heads = lambda x: x.view(B, S, cfg.NH, cfg.HS).permute(0, 2, 1, 3)
    for l in range(cfg.NL):
        pre = "encoder.layer.%d." % l
        q = heads(lin(h, pre + "attention.self.query"))
        k = heads(lin(h, pre + "attention.self.key"))
        v = heads(lin(h, pre + "attention.self.value"))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(cfg.HS) + ext
        probs = drop(F.softmax(scores, dim=-1), cfg.attention_dropout)
        ctx = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous().view(B, S, cfg.C)
        a = ln(drop(lin(ctx, pre + "attention.output.dense"), cfg.hidden_dropout) + h, pre + "attention.output.LayerNorm")
        inter = cfg.act(lin(a, pre + "intermediate.dense"))
        h = ln(drop(lin(inter, pre + "output.dense"), cfg.hidden_dropout) + a, pre + "output.LayerNorm")
    return h


def forward_distilbert(cfg, p, input_ids, attention_mask, train):
    """DistilBertForSequenceClassification.forward: no token types, no dropout after the
    attention output, q scaled before q @ k^T, masked_fill(finfo.min), pre_classifier + ReLU."""
    B, S = input_ids.shape
    g = lambda n: p["distilbert." + n]
    lin = lambda x, n: F.linear(x, g(n + ".weight"), g(n + ".bias"))
    ln = lambda x, n: F.layer_norm(x, (cfg.C,), g(n + ".weight"), g(n + ".bias"), 1e-12)
    drop = lambda x, rate: F.dropout(x, rate, train)

    emb = F.embedding(input_ids, g("embeddings.word_embeddings.weight"), padding_idx=cfg.pad)
    emb = emb + F.embedding(torch.arange(S).unsqueeze(0), g("embeddings.position_embeddings.weight"))
    h = drop(ln(emb, "embeddings.LayerNorm"), cfg.hidden_dropout)
    masked = (attention_mask == 0).view(B, 1, 1, S).expand(B, cfg.NH, S, S)
    heads = lambda x: x.view(B, S, cfg.NH, cfg.HS).transpose(1, 2)
    for l in range(cfg.NL):
        pre = "transformer.layer.%d." % l
        q = heads(lin(h, pre + "attention.q_lin")) / math.sqrt(cfg.HS)
        k = heads(lin(h, pre + "attention.k_lin"))
        v = heads(lin(h, pre + "attention.v_lin"))
        scores = torch.matmul(q, k.transpose(2, 3)).masked_fill(masked, torch.finfo(torch.float32).min)
        probs = drop(F.softmax(scores, dim=-1), cfg.attention_dropout)
        ctx = torch.matmul(probs, v).transpose(1, 2).contiguous().view(B, S, cfg.C)
        sa = ln(lin(ctx, pre + "attention.out_lin") + h, pre + "sa_layer_norm")
        ffn = drop(lin(cfg.act(lin(sa, pre + "ffn.lin1")), pre + "ffn.lin2"), cfg.hidden_dropout)
        h = ln(ffn + sa, pre + "output_layer_norm")
    x = F.relu(F.linear(h[:, 0], p["pre_classifier.weight"], p["pre_classifier.bias"]))
    return F.linear(drop(x, cfg.classifier_dropout), p["classifier.weight"], p["classifier.bias"])


def loss_of(cfg, logits, labels, class_weights=None):
    """BertForSequenceClassification's loss; the problem type inferred as HF infers it.
    class_weights (a bertcls extension) go to CrossEntropyLoss(weight=...)."""
    problem = cfg.problem_type
    if problem is None:
        if cfg.num_labels == 1:
            problem = "regression"
        elif labels.dtype in (torch.long, torch.int):
            problem = "single_label_classification"
        else:
            problem = "multi_label_classification"
    if problem == "regression":
        if cfg.num_labels == 1:
            return F.mse_loss(logits.squeeze(), labels.squeeze().to(torch.float32)), problem
        return F.mse_loss(logits, labels), problem
    if problem == "single_label_classification":
        return F.cross_entropy(logits.view(-1, cfg.num_labels), labels.view(-1), weight=class_weights), problem
    return F.binary_cross_entropy_with_logits(logits, labels), problem
