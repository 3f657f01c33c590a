#!/usr/bin/python3
"""Reference optimizer trajectories for tests/train_optimizer_test.cpp.

Runs PyTorch 1.13 (Debian's python3-torch: run with /usr/bin/python3) on a few small
tensors named like BERT's parameters:
  - torch.optim.AdamW with two parameter groups split as Hugging Face's Trainer splits
    them (no weight decay for biases and LayerNorm weights),
  - transformers.AdamW(correct_bias=False) as the tutorial uses it (eps 1e-6), copied
    below from transformers' optimization.py because transformers is not installable here,
  - LambdaLR with get_linear_schedule_with_warmup's lambda,
  - torch.nn.utils.clip_grad_norm_ before every step.
Each step records the gradients fed in, the total norm clip_grad_norm_ returned, the
learning rate used, and the parameters after the step. Writes
tests/fixtures/optimizer/trajectories.json.
"""
import json
import math
import os

import torch

PARAMS = [  # (name, shape): decay is decided by the Trainer's rule below
    ("bert.embeddings.LayerNorm.weight", (4,)),
    ("bert.encoder.layer.0.attention.self.query.weight", (3, 4)),
    ("bert.encoder.layer.0.attention.self.query.bias", (3,)),
    ("classifier.weight", (2, 3)),
    ("classifier.bias", (2,)),
]
# Gradient scales per step: some steps are clipped (norm > 1), some are not.
GRAD_SCALES = [3.0, 0.2, 1.5, 0.05, 2.0, 0.5]


def trainer_decays(name):
    # Trainer.get_decay_parameter_names: every parameter except those of LayerNorm
    # modules and those whose name contains "bias".
    return "LayerNorm" not in name and "bias" not in name


class TransformersAdamW(torch.optim.Optimizer):
    """transformers.AdamW.step (transformers 4.x optimization.py), verbatim in substance."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-6, weight_decay=0.0, correct_bias=True):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      correct_bias=correct_bias))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                grad = p.grad
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = torch.zeros_like(p)
                exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
                beta1, beta2 = group["betas"]
                state["step"] += 1
                exp_avg.mul_(beta1).add_(grad, alpha=(1.0 - beta1))
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1.0 - beta2)
                denom = exp_avg_sq.sqrt().add_(group["eps"])
                step_size = group["lr"]
                if group["correct_bias"]:
                    bias_correction1 = 1.0 - beta1 ** state["step"]
                    bias_correction2 = 1.0 - beta2 ** state["step"]
                    step_size = step_size * math.sqrt(bias_correction2) / bias_correction1
                p.addcdiv_(exp_avg, denom, value=-step_size)
                if group["weight_decay"] > 0.0:
                    p.add_(p, alpha=(-group["lr"] * group["weight_decay"]))


def linear_warmup_lambda(warmup, total):
    # transformers.get_linear_schedule_with_warmup
    def f(step):
        if step < warmup:
            return float(step) / float(max(1, warmup))
        return max(0.0, float(total - step) / float(max(1, total - warmup)))
    return f


def flat(tensors):
    return [float(x) for t in tensors for x in t.detach().reshape(-1).tolist()]


def run_case(name, kind, lr, betas, eps, weight_decay, warmup, total, max_grad_norm):
    g = torch.Generator().manual_seed(1234)
    params = [torch.nn.Parameter(torch.randn(shape, generator=g)) for _, shape in PARAMS]
    initial = flat(params)
    decay = [p for (n, _), p in zip(PARAMS, params) if trainer_decays(n)]
    no_decay = [p for (n, _), p in zip(PARAMS, params) if not trainer_decays(n)]
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    if kind == "torch":
        opt = torch.optim.AdamW(groups, lr=lr, betas=betas, eps=eps)
    else:
        opt = TransformersAdamW(groups, lr=lr, betas=betas, eps=eps, correct_bias=False)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, linear_warmup_lambda(warmup, total))
    steps = []
    for scale in GRAD_SCALES[:total]:
        for p in params:
            p.grad = torch.randn(p.shape, generator=g) * scale
        grads = flat([p.grad for p in params])
        if max_grad_norm is not None:
            total_norm = float(torch.nn.utils.clip_grad_norm_(params, max_grad_norm))
        else:
            total_norm = None
        used_lr = opt.param_groups[0]["lr"]
        opt.step()
        sched.step()
        steps.append({"grads": grads, "total_norm": total_norm, "lr": used_lr, "params_after": flat(params)})
    return {
        "name": name, "optimizer": kind, "lr": lr, "betas": list(betas), "eps": eps,
        "weight_decay": weight_decay, "warmup_steps": warmup, "total_steps": total,
        "max_grad_norm": max_grad_norm, "initial_params": initial, "steps": steps,
        "exp_avg": flat([opt.state[p]["exp_avg"] for p in params]),
        "exp_avg_sq": flat([opt.state[p]["exp_avg_sq"] for p in params]),
    }


def main():
    torch.set_num_threads(1)
    cases = [
        run_case("torch_adamw_decay_groups_warmup", "torch", 0.05, (0.9, 0.999), 1e-8, 0.1, 2, 6, 1.0),
        run_case("transformers_adamw_no_bias_correction", "transformers", 0.05, (0.9, 0.999), 1e-6, 0.1, 0, 6, 1.0),
        run_case("torch_adamw_custom_betas_no_clip", "torch", 0.01, (0.8, 0.99), 1e-7, 0.0, 1, 4, None),
    ]
    out = {
        "made_by": "tools/make_optimizer_fixtures.py (PyTorch %s)" % torch.__version__,
        "params": [{"name": n, "size": math.prod(s), "decay": trainer_decays(n)} for n, s in PARAMS],
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "optimizer", "trajectories.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
