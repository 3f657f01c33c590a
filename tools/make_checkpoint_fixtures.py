#!/usr/bin/python3
"""Builds the checkpoint fixtures under tests/fixtures/checkpoints/ (see its README).

Run with Debian's PyTorch 1.13: /usr/bin/python3 tools/make_checkpoint_fixtures.py
A micro BERT-for-sequence-classification state dict with Hugging Face key names is
saved as pytorch_model.bin (torch.save, zip format, with tied weights, a storage shared
by two tensors and non-contiguous views), as model.safetensors in F32, F16 and BF16
(written here with struct + json, the format being that simple), and as a two-shard
safetensors checkpoint with its index. The expected values are what torch's .float()
gives for each variant, as raw little-endian fp32 next to a JSON list of names and
shapes, so the C++ tests compare bit for bit without reading any of these formats.
"""
import collections
import json
import os
import shutil
import struct
import sys

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "checkpoints")

V, C, L, NH, I, P, T, LABELS = 24, 8, 2, 2, 16, 16, 2, ["negative", "neutral", "positive"]

CONFIG = {
    "architectures": ["BertForSequenceClassification"],
    "attention_probs_dropout_prob": 0.1,
    "classifier_dropout": None,
    "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1,
    "hidden_size": C,
    "id2label": {str(i): name for i, name in enumerate(LABELS)},
    "initializer_range": 0.02,
    "intermediate_size": I,
    "label2id": {name: i for i, name in enumerate(LABELS)},
    "layer_norm_eps": 1e-12,
    "max_position_embeddings": P,
    "model_type": "bert",
    "num_attention_heads": NH,
    "num_hidden_layers": L,
    "pad_token_id": 0,
    "position_embedding_type": "absolute",
    "torch_dtype": "float32",
    "transformers_version": "4.44.2",
    "type_vocab_size": T,
    "vocab_size": V,
}


def state_dict():
    g = torch.Generator().manual_seed(1234)
    rnd = lambda *shape: torch.randn(*shape, generator=g) * 0.5
    sd = collections.OrderedDict()
    sd["bert.embeddings.word_embeddings.weight"] = rnd(V, C)
    sd["bert.embeddings.position_embeddings.weight"] = rnd(P, C)
    sd["bert.embeddings.token_type_embeddings.weight"] = rnd(T, C)
    # Two LayerNorm biases as views into one storage (offsets 0 and C).
    shared = rnd(2 * C)
    sd["bert.embeddings.LayerNorm.weight"] = 1 + rnd(C)
    sd["bert.embeddings.LayerNorm.bias"] = shared[:C]
    for i in range(L):
        p = f"bert.encoder.layer.{i}."
        for name in ("query", "key", "value"):
            sd[p + f"attention.self.{name}.weight"] = rnd(C, C)
            sd[p + f"attention.self.{name}.bias"] = rnd(C)
        sd[p + "attention.output.dense.weight"] = rnd(C, C)
        sd[p + "attention.output.dense.bias"] = rnd(C)
        sd[p + "attention.output.LayerNorm.weight"] = 1 + rnd(C)
        sd[p + "attention.output.LayerNorm.bias"] = rnd(C)
        sd[p + "intermediate.dense.weight"] = rnd(I, C)
        sd[p + "intermediate.dense.bias"] = rnd(I)
        sd[p + "output.dense.weight"] = rnd(C, I)
        sd[p + "output.dense.bias"] = rnd(C)
        sd[p + "output.LayerNorm.weight"] = 1 + rnd(C)
        sd[p + "output.LayerNorm.bias"] = shared[C:] if i == L - 1 else rnd(C)
    # Tied: the same tensor object under two names (one storage, saved once).
    sd["bert.encoder.layer.1.attention.output.LayerNorm.weight"] = sd["bert.encoder.layer.0.attention.output.LayerNorm.weight"]
    # Non-contiguous: a transpose (strides (1, C)) and a strided slice with an offset.
    sd["bert.pooler.dense.weight"] = rnd(C, C).t()
    sd["bert.pooler.dense.bias"] = rnd(C)
    sd["classifier.weight"] = rnd(len(LABELS) + 2, 2 * C)[1:1 + len(LABELS), ::2]
    sd["classifier.bias"] = rnd(len(LABELS))
    # The int64 buffer checkpoints saved by older transformers carry.
    sd["bert.embeddings.position_ids"] = torch.arange(P).unsqueeze(0)
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("bert", {"version": 1})])
    return sd


SAFETENSORS_DTYPE = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}


def write_safetensors(path, tensors):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
        header[name] = {"dtype": SAFETENSORS_DTYPE[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def cast(sd, dtype):
    return collections.OrderedDict((k, v if v.dtype == torch.int64 else v.to(dtype)) for k, v in sd.items())


def raw_fp32(tensors):
    return b"".join(t.contiguous().float().numpy().astype("<f4").tobytes() for t in tensors.values())


def fresh(folder):
    path = os.path.join(OUT, folder)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    with open(os.path.join(path, "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2, sort_keys=True)
        f.write("\n")
    return path


def special_values():
    """Bit patterns that test the widening: subnormals, infinities, NaN payloads, -0."""
    f16 = [0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x3C00, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00, 0x7C01, 0x7E00,
           0xFE01, 0x7FFF, 0x3555, 0x0200, 0x1234]
    bf16 = [0x0000, 0x8000, 0x0001, 0x807F, 0x0080, 0x3F80, 0x7F7F, 0xFF7F, 0x7F80, 0xFF80, 0x7F81, 0x7FC0, 0xFFC1,
            0x7FFF, 0x3EAB, 0x0040, 0x1234, 0xC2F7]
    as_tensor = lambda bits, dtype: torch.from_numpy(np.array(bits, dtype=np.uint16).view(np.int16)).view(dtype)
    return as_tensor(f16, torch.float16), as_tensor(bf16, torch.bfloat16)


def main():
    torch.manual_seed(0)
    sd = state_dict()
    names = list(sd.keys())
    expected = {"tensors": [{"name": k, "shape": list(v.shape)} for k, v in sd.items()]}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    for variant, dtype in (("f32", torch.float32), ("f16", torch.float16), ("bf16", torch.bfloat16)):
        tensors = cast(sd, dtype)
        write_safetensors(os.path.join(fresh(f"safetensors_{variant}"), "model.safetensors"), tensors)
        with open(os.path.join(OUT, f"expected_{variant}.bin"), "wb") as f:
            f.write(raw_fp32(tensors))

    torch.save(sd, os.path.join(fresh("torch_bin"), "pytorch_model.bin"))

    sharded = fresh("sharded")
    half = len(names) // 2
    shards = [names[:half], names[half:]]
    weight_map = {}
    for i, shard in enumerate(shards):
        file = f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"
        write_safetensors(os.path.join(sharded, file), collections.OrderedDict((k, sd[k]) for k in shard))
        weight_map.update({k: file for k in shard})
    with open(os.path.join(sharded, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": sum(v.numel() * v.element_size() for v in sd.values())}, "weight_map": weight_map}, f,
                  indent=2)
        f.write("\n")

    special = os.path.join(OUT, "special")
    shutil.rmtree(special, ignore_errors=True)
    os.makedirs(special)
    for variant, t in zip(("f16", "bf16"), special_values()):
        write_safetensors(os.path.join(special, f"{variant}.safetensors"), {"special": t})
        torch.save(collections.OrderedDict(special=t), os.path.join(special, f"{variant}.bin"))
        with open(os.path.join(special, f"expected_{variant}.bin"), "wb") as f:
            f.write(t.float().numpy().astype("<f4").tobytes())
    print("wrote", OUT, file=sys.stderr)


if __name__ == "__main__":
    main()
