"""The classifier's forward pass and cross-entropy gradients, computed with PyTorch, for
tests/plugins/classifier/forward_test.cpp.

Run with Debian's PyTorch:  /usr/bin/python3 tests/plugins/classifier/make_fixtures.py
It rewrites fixtures/forward.json: for each case, the plugin params, the data shape and
range, every weight by the plugin's parameter name, the images (in the data range) and
labels, and the expected features, softmax probabilities, mean cross entropy, batch
accuracy and the loss's gradient for every parameter.
"""
import json
import math
import pathlib

import torch
import torch.nn.functional as F


def make_weights(case, gen):
    """Parameter name -> tensor, in the plugin's names and layouts (torch's)."""
    p, d = case["params"], case["data"]
    weights = {}

    def param(name, shape, fan_in):
        weights[name + ".weight"] = torch.randn(*shape, generator=gen) / math.sqrt(fan_in)
        weights[name + ".bias"] = torch.randn(shape[0], generator=gen) * 0.1

    c_in, h, w = d["channels"], d["height"], d["width"]
    for s, width in enumerate(p["conv_channels"]):
        for i in range(p["convs_per_stage"]):
            param(f"stage{s + 1}.conv{i + 1}", (width, c_in, 3, 3), c_in * 9)
            c_in = width
        h, w = h // 2, w // 2
    param("features", (p["feature_dim"], c_in * h * w), c_in * h * w)
    param("logits", (d["num_classes"], p["feature_dim"]), p["feature_dim"])
    return weights


def forward(case, W, x_unit):
    """The plugin's network (plugins/classifier/network.hpp): features and logits."""
    p = case["params"]
    t = x_unit
    for s in range(len(p["conv_channels"])):
        for i in range(p["convs_per_stage"]):
            name = f"stage{s + 1}.conv{i + 1}"
            t = F.relu(F.conv2d(t, W[name + ".weight"], W[name + ".bias"], padding=1))
        t = F.max_pool2d(t, 2)
    features = F.relu(F.linear(t.flatten(1), W["features.weight"], W["features.bias"]))
    return features, F.linear(features, W["logits.weight"], W["logits.bias"])


CASES = [
    {"name": "two stages of two convs, odd sides, data in [0, 1]",
     "params": {"conv_channels": [3, 4], "convs_per_stage": 2, "feature_dim": 6, "dropout": 0.0},
     "data": {"channels": 1, "height": 7, "width": 6, "num_classes": 4, "range": [0.0, 1.0]}},
    {"name": "one stage of one conv, colour, data in [-1, 1]",
     "params": {"conv_channels": [5], "convs_per_stage": 1, "feature_dim": 5, "dropout": 0.0},
     "data": {"channels": 3, "height": 4, "width": 4, "num_classes": 3, "range": [-1.0, 1.0]}},
]


def main():
    gen = torch.Generator().manual_seed(11)
    out = []
    for case in CASES:
        d = case["data"]
        n = 5
        # Rounded to the digits written, so the C++ side sees the weights torch used.
        weights = {k: (torch.round(v * 1e7) / 1e7).requires_grad_() for k, v in make_weights(case, gen).items()}
        x_unit = torch.rand(n, d["channels"], d["height"], d["width"], generator=gen)
        labels = torch.randint(0, d["num_classes"], (n,), generator=gen)
        lo, hi = d["range"]
        images = torch.round((lo + (hi - lo) * x_unit) * 1e7) / 1e7
        features, logits = forward(case, weights, (images - lo) / (hi - lo))
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        out.append({
            "name": case["name"], "params": case["params"], "data": d,
            "weights": {k: {"shape": list(v.shape), "values": v.detach().flatten().tolist()}
                        for k, v in weights.items()},
            "images": images.flatten().tolist(), "labels": labels.tolist(),
            "features": features.detach().flatten().tolist(),
            "probabilities": torch.softmax(logits, 1).detach().flatten().tolist(),
            "loss": loss.item(),
            "accuracy": (logits.argmax(1) == labels).float().mean().item(),
            "grads": {k: v.grad.flatten().tolist() for k, v in weights.items()},
        })
    path = pathlib.Path(__file__).parent / "fixtures" / "forward.json"
    path.write_text(json.dumps({"generated_by": "tests/plugins/classifier/make_fixtures.py", "cases": out},
                               indent=1) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
