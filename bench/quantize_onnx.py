"""Rewrites an fp32 export (bench/export_onnx.py) into the int8 model ONNX Runtime's
`onnxruntime.quantization.quantize_dynamic(model_input, model_output)` makes of it with
its defaults, for bench/run.py's ORT-int8 contender (that Python package is not
installable here; Debian's python3-onnx is all this needs).

quantize_dynamic's defaults (onnxruntime/python/tools/quantization: quantize.py,
registry.py's IntegerOpsRegistry, operators/matmul.py and gather.py):
  - weight_type QInt8, symmetric (zero point 0, range [-127, 127]), per tensor
    (per_channel False), all 8 bits (reduce_range False);
  - activations QUInt8, asymmetric, range measured on every call: DynamicQuantizeLinear;
  - MatMul with a constant B (MatMulConstBOnly): DynamicQuantizeLinear(A) ->
    MatMulInteger(A_q, B_q, A_zp, B_zp) -> Cast to float -> Mul by A_scale * B_scale;
    the bias Add that follows stays fp32. The attention products (both inputs computed)
    and Gemm (the exporter's 2-D head, in the QLinear registry only) stay fp32;
  - Gather of a constant table (the embeddings): the table stored int8, the gathered rows
    dequantized (DequantizeLinear) for the fp32 consumers.
ORT's session then fuses DynamicQuantizeLinear + MatMulInteger + Cast + Mul into
DynamicQuantizeMatMul, as it does for quantize_dynamic's own output.

    /usr/bin/python3 bench/quantize_onnx.py IN.onnx OUT.onnx [--check IDS_JSONL]

--check runs both models in ONNX Runtime (node bench/ort-logits.js) on the first 64
texts and fails unless the int8 logits are close to fp32's (not equal: within 10% of
the largest fp32 logit, the same label for at least 90% of the texts).
"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto


def quantize_weight(w):
    """s8, symmetric per tensor: scale = max|w| / 127, zero point 0 (quant_utils.compute_scale_zp)."""
    amax = float(np.abs(w).max())
    scale = np.float32(amax / 127.0 if amax > 0 else 1.0)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def constants_to_initializers(graph):
    """The exporter wrote the reference's weights (plain tensors, not nn.Parameters) as
    Constant nodes; an nn.Module's would be initializers, which is what quantize_dynamic
    looks for. Moves every float tensor Constant to an initializer of its output's name."""
    keep = []
    for node in graph.node:
        value = next((a.t for a in node.attribute if a.name == "value"), None) if node.op_type == "Constant" else None
        if value is not None and value.data_type == TensorProto.FLOAT and len(value.dims) >= 1:
            init = onnx.TensorProto()
            init.CopyFrom(value)
            init.name = node.output[0]
            graph.initializer.append(init)
        else:
            keep.append(node)
    del graph.node[:]
    graph.node.extend(keep)


def quantize(model):
    graph = model.graph
    constants_to_initializers(graph)
    inits = {i.name: i for i in graph.initializer}
    new_nodes, new_inits, done = [], [], {}

    def quantized(name):
        """(int8 tensor name, scale name, zero point name) of a float initializer, made once."""
        if name not in done:
            q, scale = quantize_weight(numpy_helper.to_array(inits[name]))
            new_inits.extend([numpy_helper.from_array(q, name + "_quantized"),
                              numpy_helper.from_array(np.array(scale, np.float32), name + "_scale"),
                              numpy_helper.from_array(np.array(0, np.int8), name + "_zero_point")])
            done[name] = (name + "_quantized", name + "_scale", name + "_zero_point")
        return done[name]

    def is_float_constant(name):
        return name in inits and inits[name].data_type == TensorProto.FLOAT

    for node in graph.node:
        if node.op_type == "MatMul" and is_float_constant(node.input[1]):
            a, out = node.input[0], node.output[0]
            wq, ws, wzp = quantized(node.input[1])
            p = out + "_dq"
            new_nodes += [
                helper.make_node("DynamicQuantizeLinear", [a], [p + "_a", p + "_a_scale", p + "_a_zp"]),
                helper.make_node("MatMulInteger", [p + "_a", wq, p + "_a_zp", wzp], [p + "_int32"]),
                helper.make_node("Cast", [p + "_int32"], [p + "_float"], to=TensorProto.FLOAT),
                helper.make_node("Mul", [p + "_a_scale", ws], [p + "_scale"]),
                helper.make_node("Mul", [p + "_float", p + "_scale"], [out]),
            ]
        elif node.op_type == "Gather" and is_float_constant(node.input[0]):
            tq, ts, tzp = quantized(node.input[0])
            out = node.output[0]
            new_nodes += [
                helper.make_node("Gather", [tq, node.input[1]], [out + "_quantized"],
                                 **{a.name: helper.get_attribute_value(a) for a in node.attribute}),
                helper.make_node("DequantizeLinear", [out + "_quantized", ts, tzp], [out]),
            ]
        else:
            new_nodes.append(node)

    # The fp32 originals the rewrite replaced everywhere go; any still read stays.
    still_read = {name for node in new_nodes for name in node.input}
    kept = [i for i in graph.initializer if i.name in still_read]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    del graph.node[:]
    graph.node.extend(new_nodes)
    # MatMulInteger and DynamicQuantizeLinear are in the default domain since opsets 10 and 11.
    onnx.checker.check_model(model)
    return len(done)


def logits(model, ids, n=64):
    bench = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run(["node", os.path.join(bench, "ort-logits.js"), model, ids, str(n)], check=True,
                         capture_output=True, text=True).stdout
    return np.array(json.loads(out), np.float64)


def check(fp32_model, int8_model, ids):
    a, b = logits(fp32_model, ids), logits(int8_model, ids)
    diff = float(np.abs(a - b).max()) / float(np.abs(a).max())
    same = float((a.argmax(1) == b.argmax(1)).mean())
    print("quantize_onnx: int8 against fp32 on %d texts: max |logit difference| %.3g of the largest logit, "
          "labels the same for %.0f%%" % (len(a), diff, 100 * same), file=sys.stderr)
    if diff == 0 or diff > 0.1 or same < 0.9:
        sys.exit("quantize_onnx: %s is not a close int8 copy of %s" % (int8_model, fp32_model))


def main(args):
    if len(args) not in (2, 4) or (len(args) == 4 and args[2] != "--check"):
        sys.exit(__doc__)
    src, dst = args[:2]
    model = onnx.load(src)
    n = quantize(model)
    onnx.save(model, dst)
    print("quantize_onnx: %d weights to int8 -> %s" % (n, dst), file=sys.stderr)
    if len(args) == 4:
        check(src, dst, args[3])


if __name__ == "__main__":
    main(sys.argv[1:])
