"""Exports a model folder to ONNX from the project's PyTorch reference (tools/reference_bert.py),
for ONNX Runtime in bench/run.py: opset 14, inputs input_ids, attention_mask,
token_type_ids (int64 [batch, sequence], both axes dynamic), output logits [batch, labels];
bench/ort-bench.js runs it.

    /usr/bin/python3 bench/export_onnx.py MODEL_DIR OUT.onnx
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import reference_bert as ref  # noqa: E402


class Classifier(torch.nn.Module):
    def __init__(self, model_dir):
        super().__init__()
        self.cfg, self.p = ref.load_folder(model_dir)

    def forward(self, input_ids, attention_mask, token_type_ids):
        return ref.forward(self.cfg, self.p, input_ids, token_type_ids, attention_mask)


def main(model_dir, out):
    model = Classifier(model_dir).eval()
    ids = torch.tensor([[2, 100, 101, 3], [2, 102, 3, 0]])
    mask = (ids != 0).long()
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(model, (ids, mask, torch.zeros_like(ids)), out, opset_version=14,
                          input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                                        "logits": {0: "batch"}})


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
