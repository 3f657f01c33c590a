"""Writes a random-initialised <Family>ForSequenceClassification folder of a real shape, for
benchmarks: config.json (the source config with two labels), model.safetensors (F32,
initialised as HF's _init_weights: normal(0, initializer_range) weights, zero biases,
unit LayerNorm weights, a zero padding row) and the tokenizer's files.

    /usr/bin/python3 tools/make_random_checkpoint.py CONFIG_JSON TOKENIZER_DIR OUT_DIR [SEED]

e.g. CONFIG_JSON=data/rubert-tiny2/config.json TOKENIZER_DIR=data/rubert-tiny2, or
bench/configs/roberta-base/config.json with tests/fixtures/tokenizers/roberta-gpt2. No
pretrained weights are available offline; speed depends on the shape only.
"""
import json
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_bert as ref  # noqa: E402
from make_bert_fixtures import hf_names  # noqa: E402

TOKENIZER_FILES = ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
ARCHITECTURES = {"bert": "BertForSequenceClassification", "roberta": "RobertaForSequenceClassification",
                 "xlm-roberta": "XLMRobertaForSequenceClassification",
                 "distilbert": "DistilBertForSequenceClassification", "electra": "ElectraForSequenceClassification"}
LABELS = ["negative", "positive"]


def initial_value(rng, name, shape, std):
    if name.endswith("LayerNorm.weight") or name.endswith("layer_norm.weight"):
        return np.ones(shape, np.float32)
    if name.endswith("bias"):
        return np.zeros(shape, np.float32)
    return rng.normal(0.0, std, size=shape).astype(np.float32)


def initial_tensors(d, seed):
    """(name, value) of every tensor of config d's classifier, as HF's _init_weights gives them."""
    rng = np.random.default_rng(seed)
    std = d.get("initializer_range", 0.02)
    tensors = []
    for name, shape in hf_names(d):
        value = initial_value(rng, name, shape, std)
        if name.endswith("embeddings.word_embeddings.weight"):
            value[d.get("pad_token_id", 0)] = 0.0
        tensors.append((name, value))
    return tensors


def main(config_path, tokenizer_dir, out, seed=0):
    with open(config_path) as f:
        d = json.load(f)
    d["architectures"] = [ARCHITECTURES[d.get("model_type", "bert")]]
    d["id2label"] = {str(i): n for i, n in enumerate(LABELS)}
    d["label2id"] = {n: i for i, n in enumerate(LABELS)}
    tensors = initial_tensors(d, seed)

    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(d, f, indent=2, sort_keys=True)
        f.write("\n")
    ref.write_safetensors(os.path.join(out, "model.safetensors"), tensors)
    for name in TOKENIZER_FILES:
        if os.path.exists(os.path.join(tokenizer_dir, name)):
            shutil.copyfile(os.path.join(tokenizer_dir, name), os.path.join(out, name))


if __name__ == "__main__":
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    main(*sys.argv[1:4], *(int(a) for a in sys.argv[4:]))
