#!/usr/bin/python3
"""bertcls against its references, every workload interleaved, one table of medians and ratios.

    bench/run.py [--quick] [--rounds N] [--only NAME] [--passive]

Needs a Release build in build/ with -DBERTCLS_BENCH=ON, Debian's PyTorch and ONNX
(python3-torch, python3-onnx) for /usr/bin/python3, and node + npm; the texts and tokenizers come from data/. Everything
generated (random checkpoints of the rubert-tiny2 and bert-base shapes, ONNX exports and
their int8 rewrites, token ids, npm packages) goes to bench/.cache and bench/node_modules, built once.

Each round runs every workload once per implementation, one process per run (load time is
never timed: each program times its own steady state). Medians are over rounds; a ratio
is bertcls's median over the reference's, both from this invocation. Peak memory is each
run's maximum resident set (wait4's rusage), so it includes the interpreter and loading.

Inference runs six contenders: bertcls in fp32, int8 (--quantize int8) and bf16 (where the
CPU has it), PyTorch (fp32), ONNX Runtime on the fp32 export (ORT) and on the int8 model
ORT's quantize_dynamic makes of it (ORT-int8, bench/quantize_onnx.py). Every contender runs
with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset, whatever the calling shell set.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
CACHE = os.path.join(BENCH, ".cache")
BUILD = os.path.join(ROOT, "build")
DATA = os.path.join(ROOT, "data")
PY = "/usr/bin/python3"  # Debian's PyTorch lives there, not in the first python3 on PATH
SHAPES = {  # shape: (folder with config.json, tokenizer folder)
    "tiny2": (os.path.join(DATA, "rubert-tiny2"),) * 2,
    "bert-base": (os.path.join(DATA, "bert-base-uncased"),) * 2,
    # roberta-base's architecture with GPT-2's byte-level BPE (the vocabulary RoBERTa uses).
    "roberta-base": (os.path.join(BENCH, "configs", "roberta-base"),
                     os.path.join(ROOT, "tests", "fixtures", "tokenizers", "roberta-gpt2")),
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# OpenBLAS tuning a shell may carry (an OpenBLAS core type or L2 size forced for some other
# machine); no contender runs with them, so each one sees this machine as it is.
UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def run(cmd, env=None):
    """(JSON result of the program's last stdout line, max RSS in MiB)."""
    base = {k: v for k, v in os.environ.items() if k not in UNSET}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env={**base, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode()
        if proc.returncode != 0:
            sys.exit("bench: %s failed (%d):\n%s%s" % (" ".join(cmd), proc.returncode, text, err.read().decode()))
    return json.loads(text.strip().splitlines()[-1]), usage.ru_maxrss / 1024.0


def prepare(shapes):
    """Builds the cache once: texts, checkpoints, token ids and ONNX exports of `shapes`, npm packages."""
    for tool in ("finetune_bench", "infer_bench", "gemm_peak", "tokenize_bench"):
        if not os.path.exists(os.path.join(BUILD, "bench", tool)):
            sys.exit("bench: build/bench/%s missing: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "
                     "-DBERTCLS_BENCH=ON && cmake --build build" % tool)
    os.makedirs(CACHE, exist_ok=True)
    texts_csv, texts_txt = os.path.join(CACHE, "texts.csv"), os.path.join(CACHE, "texts.txt")
    if not os.path.exists(texts_txt):
        rows = []
        for name in ("valid.csv", "test.csv", "extra.csv"):
            with open(os.path.join(DATA, "rutweetcorp", name), newline="") as f:
                rows += list(csv.DictReader(f))
        with open(texts_csv, "w") as f:
            f.write("text,label\n" + "".join("%s,%s\n" % (r["text"], r["label"]) for r in rows))
        with open(texts_txt, "w") as f:
            f.write("".join(r["text"] + "\n" for r in rows))
    for shape in shapes:
        config_dir, tokenizer_dir = SHAPES[shape]
        folder = os.path.join(CACHE, shape)
        if not os.path.exists(os.path.join(folder, "model.safetensors")):
            log("bench: random %s checkpoint" % shape)
            subprocess.check_call([PY, "tools/make_random_checkpoint.py", os.path.join(config_dir, "config.json"),
                                   tokenizer_dir, folder], cwd=ROOT)
        ids = os.path.join(CACHE, shape + ".ids.jsonl")
        if not os.path.exists(ids):
            with open(ids + ".tmp", "w") as f:
                subprocess.check_call([os.path.join(BUILD, "bertcls"), "tokenize", "--tokenizer", folder, "--input",
                                       texts_txt, "--max-length", "512"], stdout=f, cwd=ROOT)
            os.replace(ids + ".tmp", ids)
        onnx = os.path.join(CACHE, shape + ".onnx")
        if not os.path.exists(onnx):
            log("bench: ONNX export of %s" % shape)
            subprocess.check_call([PY, "bench/export_onnx.py", folder, onnx + ".tmp"], cwd=ROOT)
            os.replace(onnx + ".tmp", onnx)
    if not os.path.exists(os.path.join(BENCH, "node_modules", "onnxruntime-node")):
        subprocess.check_call(["npm", "install", "--silent"], cwd=BENCH)
    for shape in (s for s in shapes if s in FORMAT_SHAPES):  # checked against the fp32 export in ORT itself
        onnx, int8 = os.path.join(CACHE, shape + ".onnx"), os.path.join(CACHE, shape + ".int8.onnx")
        if not os.path.exists(int8):
            log("bench: ONNX Runtime's dynamic int8 model of %s" % shape)
            subprocess.check_call([PY, "bench/quantize_onnx.py", onnx, int8 + ".tmp", "--check",
                                   os.path.join(CACHE, shape + ".ids.jsonl")], cwd=ROOT)
            os.replace(int8 + ".tmp", int8)
    return texts_csv, texts_txt


def machine():
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    flags = info.get("flags", "").split()
    simd = [f for f in ("avx2", "avx512f", "avx512_bf16", "amx_tile") if f in flags]
    return "%s, %d cores, %s" % (info.get("model name", "?"), os.cpu_count(), " ".join(simd) or "no avx2")


def first_lengths(shape, n):
    """Token counts of the first n texts (the latency texts are the first ones)."""
    with open(os.path.join(CACHE, shape + ".ids.jsonl")) as f:
        return [len(json.loads(line)["ids"]) for _, line in zip(range(n), f)]


def model_config(shape):
    with open(os.path.join(CACHE, shape, "config.json")) as f:
        return json.load(f)


def dense_flops_per_token(c):
    """One forward's dense products per token: 2 x the encoder layers' weights."""
    return 2 * c["num_hidden_layers"] * (4 * c["hidden_size"] ** 2 + 2 * c["hidden_size"] * c["intermediate_size"])


def mean_tokens_per_batch(shape):
    with open(os.path.join(CACHE, shape + ".ids.jsonl")) as f:
        lengths = [len(json.loads(line)["ids"]) for line in f]
    return round(32 * sum(lengths) / len(lengths))


LATENCY_TEXTS = {"tiny2": 200, "bert-base": 10}  # texts timed one at a time (p50, p99) in a full run

# The shapes inference runs in every number format (int8 and bf16 besides fp32).
FORMAT_SHAPES = ("tiny2", "bert-base")


def bf16_supported():
    with open("/proc/cpuinfo") as f:
        flags = next((l.split(":", 1)[1].split() for l in f if l.startswith("flags")), [])
    return "avx512_bf16" in flags or "amx_bf16" in flags


def inference_flops(shape, n):
    """Model FLOPs of one forward over the first n texts, unpadded: the dense layers' 2 x
    weights per token and attention's two products, 4 x L^2 x hidden per layer per text."""
    c = model_config(shape)
    C, NL, dense = c["hidden_size"], c["num_hidden_layers"], dense_flops_per_token(c)
    return sum(dense * L + 4 * NL * L * L * C for L in first_lengths(shape, n))


def workloads(quick, passive, texts_csv, texts_txt):
    """name -> {implementation: (command, environment)}; every command prints one JSON line.

    bert-base-uncased's vocabulary splits these Russian texts into about 86 tokens each
    (rubert-tiny2's: 24), so a bert-base step is about 1.4 TFLOP: few steps, and none
    in --quick."""
    # On an idle machine every contender keeps its own default: OpenMP's threads spin a
    # while at a barrier before they sleep, as ONNX Runtime's pool does. --passive gives
    # both OpenMP programs the passive wait policy for a machine other work shares: there
    # a spinning thread burns the time slice its partner needs (measured under load 4.5:
    # bertcls inference 5x slower, PyTorch 1.6-2.8x, see TIPS.md). On an idle machine
    # passive waiting costs a futex sleep and wake per parallel region: 17% of a tiny2
    # fp32 profile, 28% of an int8 one (bench/README.md).
    omp_env = {"OMP_WAIT_POLICY": "PASSIVE"} if passive else {}
    fb, ib = os.path.join(BUILD, "bench", "finetune_bench"), os.path.join(BUILD, "bench", "infer_bench")
    # shape: (bertcls warm-up, timed steps), (PyTorch warm-up, timed), (texts, passes, latency texts);
    # no training plan: inference only.
    plan = {"tiny2": ((3, 30), (2, 15), (1024, 3, LATENCY_TEXTS["tiny2"])),
            "bert-base": ((1, 3), (1, 2), (64, 1, LATENCY_TEXTS["bert-base"])),
            "roberta-base": (None, None, (64, 1, 10))}
    if quick:
        plan = {"tiny2": ((3, 8), (2, 4), (256, 2, 50))}
    w = {}
    for shape, (train, torch_train, infer) in plan.items():
        folder, ids = os.path.join(CACHE, shape), os.path.join(CACHE, shape + ".ids.jsonl")
        if train:
            (warm, steps), (tw, ts) = train, torch_train
            w["train " + shape] = {
                "bertcls": ([fb, folder, texts_csv, "32", str(warm), str(steps)], omp_env),
                "PyTorch": ([PY, "bench/torch_bench.py", "train", folder, ids, "32", "0", str(tw), str(ts)], omp_env),
            }
            if shape == "bert-base" and bf16_supported():  # the bf16 training target is bert-base's
                w["train " + shape]["bertcls-bf16"] = ([fb, folder, texts_csv, "32", str(warm), str(steps), "bf16"],
                                                       omp_env)
        if shape == "tiny2":
            w["train tiny2"]["tutorial"] = (
                [PY, "bench/torch_bench.py", "train", folder, ids, "2", "512", "2", "3" if quick else "8"], omp_env)
        n, passes, latency = (str(v) for v in infer)
        ort = lambda model: (["node", "bench/ort-bench.js", os.path.join(CACHE, model), ids, n, passes, latency], None)
        # A full run stays under 15 minutes: PyTorch's inference only on tiny2 (ORT is the
        # reference that counts), the int8 and bf16 contenders only on the shapes.
        w["infer " + shape] = {"bertcls": ([ib, folder, texts_txt, n, passes, latency, "fp32"], omp_env)}
        if shape in FORMAT_SHAPES:
            w["infer " + shape]["bertcls-int8"] = ([ib, folder, texts_txt, n, passes, latency, "int8"], omp_env)
        if shape == "tiny2":
            w["infer " + shape]["PyTorch"] = ([PY, "bench/torch_bench.py", "infer", folder, ids, n, passes, latency],
                                              omp_env)
        w["infer " + shape]["ORT"] = ort(shape + ".onnx")
        if shape in FORMAT_SHAPES:
            w["infer " + shape]["ORT-int8"] = ort(shape + ".int8.onnx")
            if bf16_supported():
                w["infer " + shape]["bertcls-bf16"] = ([ib, folder, texts_txt, n, passes, latency, "bf16"], omp_env)
    return w


# Which of a workload's implementations is set against which: (ours, reference).
PAIRS = [("bertcls", "PyTorch"), ("bertcls", "ORT"), ("bertcls", "tutorial"), ("bertcls-int8", "ORT-int8"),
         ("bertcls-int8", "bertcls"), ("bertcls-bf16", "ORT"), ("bertcls-bf16", "bertcls")]


TARGETS = {  # (workload, metric, ours, reference): (comparison, bound) on ours / reference; issue 12's
    ("train tiny2", "samples_per_s", "bertcls", "PyTorch"): (">=", 12.0),
    ("train tiny2", "samples_per_s", "bertcls", "tutorial"): (">=", 50.0),
    ("train bert-base", "samples_per_s", "bertcls", "PyTorch"): (">=", 2.0),
    ("train bert-base", "samples_per_s", "bertcls-bf16", "bertcls"): (">=", 1.7),
    ("infer tiny2", "texts_per_s", "bertcls", "ORT"): (">=", 1.2),
    ("infer tiny2", "p50_ms", "bertcls", "ORT"): ("<=", 0.8),
    ("infer bert-base", "texts_per_s", "bertcls", "ORT"): (">=", 1.2),
    ("infer bert-base", "p50_ms", "bertcls", "ORT"): ("<=", 0.8),
    ("infer tiny2", "texts_per_s", "bertcls-int8", "ORT-int8"): (">=", 1.3),
    ("infer bert-base", "texts_per_s", "bertcls-int8", "ORT-int8"): (">=", 1.3),
    ("infer tiny2", "texts_per_s", "bertcls-int8", "bertcls"): (">=", 2.0),
    ("infer bert-base", "texts_per_s", "bertcls-int8", "bertcls"): (">=", 2.0),
    ("infer bert-base", "texts_per_s", "bertcls-bf16", "bertcls"): (">=", 1.7),
}


def verdict(workload, metric, ours, reference, ratio):
    target = TARGETS.get((workload, metric, ours, reference))
    if metric == "max_rss_mib" and reference == "PyTorch" and ours == "bertcls":
        target = ("<=", 1.0)
    if not target:
        return ""
    op, bound = target
    met = ratio >= bound if op == ">=" else ratio <= bound
    return "%s %g %s" % (op, bound, "met" if met else "MISSED")


def tokenize_ratio():
    out = subprocess.run(["bench/tokenize.sh", "data/rubert-tiny2", os.path.join(CACHE, "texts.txt")], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    log(out.rstrip())
    rate = lambda who: next(float(l.split(": ")[1].split()[0]) for l in out.splitlines() if l.startswith(who + " 1 thread"))
    return rate("bertcls"), rate("hf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and texts, one round (under 2 minutes)")
    parser.add_argument("--rounds", type=int, help="repetitions of every run (default 2, --quick 1)")
    parser.add_argument("--only", help="run only the workloads whose name contains this (e.g. 'infer roberta')")
    parser.add_argument("--passive", action="store_true",
                        help="OMP_WAIT_POLICY=PASSIVE for bertcls and PyTorch: for a machine other work shares")
    args = parser.parse_args()
    rounds = args.rounds or (1 if args.quick else 2)
    started = time.time()
    texts_csv, texts_txt = (os.path.join(CACHE, "texts.csv"), os.path.join(CACHE, "texts.txt"))
    work = {name: impls for name, impls in workloads(args.quick, args.passive, texts_csv, texts_txt).items()
            if not args.only or args.only in name}
    # The GEMM roofline reads bert-base's shapes; a run of --only workloads leaves it out.
    roofline = not args.only
    prepare(sorted({name.split(" ", 1)[1] for name in work} | ({"bert-base"} if roofline else set())))
    load_before = os.getloadavg()
    single_tokens = roofline and round(statistics.median(first_lengths("bert-base", LATENCY_TEXTS["bert-base"])))
    gemm_cmd = roofline and [os.path.join(BUILD, "bench", "gemm_peak"), os.path.join(CACHE, "bert-base", "config.json"),
                             str(mean_tokens_per_batch("bert-base")), "5", str(single_tokens)]

    results = {}  # (workload, implementation) -> list of (result, rss)
    gemm = []
    for r in range(rounds):
        if roofline:
            gemm.append(run(gemm_cmd)[0])
        for name, impls in work.items():
            for impl, (cmd, env) in impls.items():
                log("bench: round %d/%d: %s, %s" % (r + 1, rounds, name, impl))
                results.setdefault((name, impl), []).append(run(cmd, env))
    ours_tok, hf_tok = tokenize_ratio()
    load_after = os.getloadavg()

    med = lambda name, impl, key: statistics.median(
        rss if key == "max_rss_mib" else res[key] for res, rss in results[(name, impl)])
    print("machine: %s; load average %.2f before, %.2f after (1 min)" % (machine(), load_before[0], load_after[0]))
    print("rounds: %d%s; wall time %.0f s; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for every run; %s"
          % (rounds, " (--quick)" if args.quick else "", time.time() - started,
             "OMP_WAIT_POLICY=PASSIVE for bertcls and PyTorch" if args.passive else "OpenMP's default wait policy"))
    print()
    row = "| %-15s | %-13s | %-12s | %10s | %-9s | %10s | %7s | %-13s |"
    print(row % ("workload", "metric", "ours", "ours", "reference", "reference", "ratio", "target"))
    print(row % (("---",) * 8))
    for name, impls in work.items():
        metrics = ["samples_per_s"] if name.startswith("train") else ["texts_per_s", "p50_ms", "p99_ms"]
        for metric in metrics + ["max_rss_mib"]:
            for mine, ref in ((a, b) for a, b in PAIRS if a in impls and b in impls):
                ours, theirs = med(name, mine, metric), med(name, ref, metric)
                print(row % (name, metric, mine, "%.1f" % ours, ref, "%.1f" % theirs, "%.2f" % (ours / theirs),
                             verdict(name, metric, mine, ref, ours / theirs)))
    print(row % ("tokenize", "texts_per_s", "bertcls", "%.0f" % ours_tok, "HF Rust", "%.0f" % hf_tok,
                 "%.2f" % (ours_tok / hf_tok), ""))
    print()
    if not roofline:
        return
    peak = statistics.median(g["peak_gflops"] for g in gemm)
    mix = statistics.median(g["mix_gflops"] for g in gemm)
    print("GEMM roofline (tensor::gemm, bert-base layer shapes at %d tokens): peak %.1f GFLOP/s, layer mix %.1f GFLOP/s"
          % (gemm[0]["tokens"], peak, mix))
    for i, shape in enumerate(gemm[0]["shapes"]):
        rate = statistics.median(g["shapes"][i]["gflops"] for g in gemm)
        print("  %-8s %-7s m,n,k=%-16s %.1f GFLOP/s" % (shape["layer"], shape["pass"], shape["mnk"], rate))
    if ("train bert-base", "bertcls") in results:
        flops = statistics.median(res["model_flops_per_s"] for res, _ in results[("train bert-base", "bertcls")]) / 1e9
        print("bert-base training step: %.1f model GFLOP/s = %.0f%% of GEMM peak (target >= 50%%: %s)"
              % (flops, 100 * flops / peak, "met" if flops / peak >= 0.5 else "MISSED"))
    packed_peak = statistics.median(g["packed_peak_gflops"] for g in gemm)
    print("Inference's kernel (tensor::PackedLinear fp32, weights packed once, 64-row chunks), the same forward "
          "shapes: peak %.1f GFLOP/s" % packed_peak)
    for i, shape in enumerate(gemm[0]["packed_shapes"]):
        rate = statistics.median(g["packed_shapes"][i]["gflops"] for g in gemm)
        print("  %-8s forward m,n,k=%-16s %.1f GFLOP/s" % (shape["layer"], shape["mnk"], rate))
    # A single text's latency is bounded by the packed kernel's rate at that text's M: the
    # dense products of the median latency text (all layers; the last one's shortcut left
    # out) at that rate are the floor under any p50 on this kernel.
    single = statistics.median(g["packed_single_mix_gflops"] for g in gemm)
    floor_ms = 1e3 * dense_flops_per_token(model_config("bert-base")) * single_tokens / (single * 1e9)
    line = "Single text (%d tokens, bert-base's median latency text): packed kernel at %.1f GFLOP/s over the layer mix, " \
           "dense-product floor %.1f ms" % (single_tokens, single, floor_ms)
    if ("infer bert-base", "ORT") in results:
        line += "; ORT's p50 %.1f ms, 0.8x of it %.1f ms" % (med("infer bert-base", "ORT", "p50_ms"),
                                                           0.8 * med("infer bert-base", "ORT", "p50_ms"))
    print(line)
    bf16_peak = statistics.median(g["packed_bf16_peak_gflops"] for g in gemm)
    if bf16_peak > 0:
        print("The packed bf16 kernel on the same shapes: peak %.1f GFLOP/s, %.2fx the fp32 one's"
              % (bf16_peak, bf16_peak / packed_peak))
    # Inference runs on the packed kernel, so its share is of that kernel's peak.
    peak = max(peak, packed_peak)
    for impl in ("bertcls", "bertcls-int8", "bertcls-bf16", "ORT", "ORT-int8"):
        if ("infer bert-base", impl) not in results:
            continue
        n = int(work["infer bert-base"][impl][0][3 if impl.startswith("bertcls") else 4])
        flops = inference_flops("bert-base", n) * med("infer bert-base", impl, "texts_per_s") / n / 1e9
        target = " (target >= 85%%: %s)" % ("met" if flops / peak >= 0.85 else "MISSED") if impl == "bertcls" else ""
        print("bert-base inference, %s: %.1f model GFLOP/s = %.0f%% of GEMM peak%s" % (impl, flops, 100 * flops / peak,
                                                                                   target))


if __name__ == "__main__":
    main()
