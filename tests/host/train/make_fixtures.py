#!/usr/bin/python3
"""Writes the reference values the optimizer tests compare against, using torch.

Run with Debian's python3-torch:  /usr/bin/python3 tests/host/train/make_fixtures.py
It rewrites fixtures/{optimizers,schedules,clip}.json next to this script; the output is
deterministic (fixed seed), so a rerun with the same torch changes nothing.

Every float is a float32 value written as the exact decimal of its double, so the C++
side reads back the very bits torch produced.
"""
import json
import math
import os

import warnings

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")
STEPS = 5


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(obj, f, indent=None, separators=(",", ":"))
        f.write("\n")


# ---------------------------------------------------------------- optimizers

PARAM_SHAPES = [("net.fc.weight", (3, 4)), ("net.fc.bias", (5,)), ("net.scale", (1,))]

# (name, torch class, options as in the pipeline YAML, per-step lr or None)
OPTIMIZER_CASES = [
    ("sgd plain", "sgd", {"lr": 0.1}, None),
    ("sgd momentum", "sgd", {"lr": 0.1, "momentum": 0.9}, None),
    ("sgd momentum dampening weight_decay", "sgd",
     {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01}, None),
    ("sgd nesterov weight_decay", "sgd",
     {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}, None),
    ("sgd maximize", "sgd", {"lr": 0.1, "momentum": 0.5, "maximize": True}, None),
    ("adam defaults", "adam", {}, None),
    ("adam betas weight_decay", "adam", {"lr": 0.01, "betas": [0.5, 0.99], "weight_decay": 0.1}, None),
    ("adam amsgrad eps", "adam", {"lr": 0.01, "amsgrad": True, "eps": 1e-6}, None),
    ("adam maximize", "adam", {"lr": 0.01, "maximize": True}, None),
    ("adam changing lr", "adam", {"lr": 0.01}, [0.01, 0.005, 0.02, 0.0, 0.01]),
    ("adamw defaults", "adamw", {"lr": 0.01}, None),
    ("adamw amsgrad weight_decay", "adamw", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}, None),
    ("rmsprop defaults", "rmsprop", {}, None),
    ("rmsprop momentum", "rmsprop", {"lr": 0.01, "momentum": 0.9}, None),
    ("rmsprop centered alpha", "rmsprop", {"lr": 0.01, "centered": True, "alpha": 0.9}, None),
    ("rmsprop centered momentum weight_decay", "rmsprop",
     {"lr": 0.01, "centered": True, "momentum": 0.5, "weight_decay": 0.01, "eps": 1e-4}, None),
]

TORCH_CLASSES = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam,
                 "adamw": torch.optim.AdamW, "rmsprop": torch.optim.RMSprop}
STATE_NAMES = {"sgd": ["momentum_buffer"], "adam": ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"],
               "adamw": ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"],
               "rmsprop": ["square_avg", "grad_avg", "momentum_buffer"]}


def torch_options(kind, options):
    o = dict(options)
    if "betas" in o:
        o["betas"] = tuple(o["betas"])
    if kind != "sgd":
        o["foreach"] = False  # the single-tensor path: the one the C++ mirrors op by op
    return o


def optimizer_fixture():
    g = torch.Generator().manual_seed(1234)
    init = [torch.randn(shape, generator=g) for _, shape in PARAM_SHAPES]
    # Gradients vary in scale over steps so bias correction and amsgrad's max both matter.
    grads = [[torch.randn(shape, generator=g) * (0.5 + step) for _, shape in PARAM_SHAPES]
             for step in range(STEPS)]
    cases = []
    for name, kind, options, lrs in OPTIMIZER_CASES:
        params = [t.clone().requires_grad_(True) for t in init]
        opt = TORCH_CLASSES[kind](params, **torch_options(kind, options))
        lr0 = opt.param_groups[0]["lr"]
        step_lrs = lrs or [lr0] * STEPS
        expected = []
        for step in range(STEPS):
            opt.param_groups[0]["lr"] = step_lrs[step]
            for p, gr in zip(params, grads[step]):
                p.grad = gr.clone()
            opt.step()
            expected.append([flat(p) for p in params])
        state = {}
        for key in STATE_NAMES[kind]:
            if opt.state[params[0]].get(key) is not None:
                state[key] = [flat(opt.state[p][key]) for p in params]
        if "step" in opt.state[params[0]]:
            state["step"] = float(opt.state[params[0]]["step"])
        cases.append({"name": name, "type": kind, "options": options, "lrs": step_lrs,
                      "expected": expected, "state": state})
    write("optimizers.json", {
        "torch": torch.__version__,
        "params": [{"name": n, "shape": list(s), "init": flat(t)} for (n, s), t in zip(PARAM_SHAPES, init)],
        "grads": [[flat(t) for t in step] for step in grads],
        "cases": cases,
    })


# ---------------------------------------------------------------- schedules

def constant_with_warmup(warmup):
    # diffusers.optimization.get_constant_schedule_with_warmup
    def f(step):
        if step < warmup:
            return float(step) / float(max(1.0, warmup))
        return 1.0
    return f


def cosine_with_warmup(warmup, total, cycles=0.5):
    # diffusers.optimization.get_cosine_schedule_with_warmup
    def f(step):
        if step < warmup:
            return float(step) / float(max(1, warmup))
        progress = float(step - warmup) / float(max(1, total - warmup))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(cycles) * 2.0 * progress)))
    return f


def linear_decay(constant, total):
    def f(step):
        return 1.0 - min(1.0, max(0, step - constant) / (total - constant))
    return f


def schedule_curve(make, base_lr, steps):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=base_lr)
    sched = make(opt)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


def schedule_fixture():
    S = torch.optim.lr_scheduler
    cases = [
        ("constant", {}, 0.1, 10, lambda o: S.LambdaLR(o, lambda t: 1.0)),
        ("linear_warmup", {"warmup_steps": 4}, 0.1, 10, lambda o: S.LambdaLR(o, constant_with_warmup(4))),
        ("cosine", {"total_steps": 20}, 0.1, 21, lambda o: S.CosineAnnealingLR(o, T_max=20)),
        ("cosine", {"total_steps": 20, "min_lr": 1e-3}, 0.1, 21,
         lambda o: S.CosineAnnealingLR(o, T_max=20, eta_min=1e-3)),
        ("cosine", {"total_steps": 25, "warmup_steps": 5}, 2e-4, 26,
         lambda o: S.LambdaLR(o, cosine_with_warmup(5, 25))),
        ("cosine", {"total_steps": 25, "warmup_steps": 5, "min_lr": 1e-5}, 2e-4, 26,
         lambda o: S.SequentialLR(o, [S.LambdaLR(o, constant_with_warmup(5)),
                                      S.CosineAnnealingLR(o, T_max=20, eta_min=1e-5)], milestones=[5])),
        ("step", {"step_size": 3, "gamma": 0.5}, 0.1, 12, lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
        ("step", {"step_size": 1, "gamma": 0.9}, 1e-3, 30, lambda o: S.StepLR(o, step_size=1, gamma=0.9)),
        ("step", {"step_size": 4}, 1.0, 13, lambda o: S.StepLR(o, step_size=4)),
        # CycleGAN's "linear" policy (Zhu et al. 2017): constant, then linearly to 0
        ("linear_decay", {"total_steps": 20, "constant_steps": 10}, 2e-4, 24,
         lambda o: S.LambdaLR(o, linear_decay(10, 20))),
        ("linear_decay", {"total_steps": 7, "constant_steps": 0}, 0.1, 9,
         lambda o: S.LambdaLR(o, linear_decay(0, 7))),
    ]
    write("schedules.json", {"torch": torch.__version__, "cases": [
        {"type": kind, "options": options, "base_lr": base, "lrs": schedule_curve(make, base, steps)}
        for kind, options, base, steps, make in cases]})


# ---------------------------------------------------------------- clipping

def clip_fixture():
    g = torch.Generator().manual_seed(99)
    shapes = [(4, 3), (6,), (1,)]
    cases = []
    for max_norm, norm_type, scale in [(1.0, 2.0, 1.0), (100.0, 2.0, 1.0), (0.5, float("inf"), 1.0),
                                       (2.0, 1.0, 1.0), (1.0, 3.0, 1.0), (1e-3, 2.0, 1e3)]:
        grads = [torch.randn(s, generator=g) * scale for s in shapes]
        params = [torch.zeros(s, requires_grad=True) for s in shapes]
        for p, gr in zip(params, grads):
            p.grad = gr.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type)
        cases.append({"max_norm": max_norm, "norm_type": "inf" if math.isinf(norm_type) else norm_type,
                      "grads": [flat(t) for t in grads], "total_norm": float(total),
                      "clipped": [flat(p.grad) for p in params]})
    write("clip.json", {"torch": torch.__version__, "cases": cases})


if __name__ == "__main__":
    # SequentialLR steps its second scheduler with an explicit epoch, which torch 1.13 warns about.
    warnings.filterwarnings("ignore", message="The epoch parameter")
    torch.manual_seed(0)
    optimizer_fixture()
    schedule_fixture()
    clip_fixture()
    print("wrote", ", ".join(sorted(os.listdir(OUT))), "in", OUT)
