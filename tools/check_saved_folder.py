"""Checks that a folder bertcls saved is what transformers would load, with the PyTorch
reference standing in for transformers (not installable here).

  BERTCLS_KEEP_SAVED_FOLDER=/tmp/saved build/tests/bertcls_tests --gtest_filter='SaveModelFolder.*'
  /usr/bin/python3 tools/check_saved_folder.py /tmp/saved

The test saves the micro fixture model (tests/fixtures/bert/micro) after inferring its
problem_type; this reads config.json and model.safetensors with the reference, compares
every tensor with the fixture's bit for bit, recomputes the logits of the
micro_pairs_weighted case and checks the tokenizer files parse.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference_bert as ref  # noqa: E402

torch.set_num_threads(2)
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "bert")


def main(folder):
    cfg, params = ref.load_folder(folder)
    d = cfg.d
    assert d["architectures"] == ["BertForSequenceClassification"], d["architectures"]
    assert d["id2label"] == {"0": "neg", "1": "neu", "2": "pos"} and d["label2id"] == {"neg": 0, "neu": 1, "pos": 2}
    assert d["problem_type"] == "single_label_classification"
    _, original = ref.load_folder(os.path.join(FIXTURES, "micro"))
    assert set(params) == set(original), set(params) ^ set(original)
    for name, t in original.items():
        assert torch.equal(params[name], t), name
    case = ref.read_safetensors(os.path.join(FIXTURES, "cases", "micro_pairs_weighted.safetensors"))
    ids, types, mask = (case[k].to(torch.long) for k in ("input_ids", "token_type_ids", "attention_mask"))
    logits = ref.forward(cfg, params, ids, types, mask)
    deviation = (logits - case["logits"]).abs().max().item()
    assert deviation == 0.0, deviation
    for name in ("tokenizer.json", "tokenizer_config.json"):
        with open(os.path.join(folder, name)) as f:
            json.load(f)
    with open(os.path.join(folder, "vocab.txt"), encoding="utf-8") as f:
        assert len(f.read().splitlines()) > 0
    print("%s: config, %d tensors (bit-identical), logits (deviation %g) and tokenizer files read back by the reference"
          % (folder, len(params), deviation))


if __name__ == "__main__":
    main(sys.argv[1])
