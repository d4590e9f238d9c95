#!/usr/bin/python3
"""Peak memory of three training steps of the critic in memory_step.cpp, in PyTorch."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def status_kb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return -1


torch.set_num_threads(1)
torch.manual_seed(0)
c1, c2 = nn.Conv2d(1, 64, 4, 2, 1), nn.Conv2d(64, 128, 4, 2, 1)
bn, fc = nn.BatchNorm2d(128), nn.Linear(128 * 7 * 7, 1)
params = [p for m in (c1, c2, bn, fc) for p in m.parameters()]
for p in params:
    p.grad = torch.zeros_like(p)  # the engine allocates grads at registration too
x = torch.rand(128, 1, 28, 28) * 2 - 1
target = torch.ones(128, 1)
with torch.no_grad():
    torch.ones(64, 64) @ torch.ones(64, 64)
before = status_kb("VmRSS")
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
for step in range(3):
    for p in params:
        p.grad.zero_()
    h = F.leaky_relu(c1(x), 0.2)
    h = F.leaky_relu(bn(c2(h)), 0.2)
    loss = F.binary_cross_entropy_with_logits(fc(h.flatten(1)), target)
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= 0.01 * p.grad
print("peak_step_mb", (status_kb("VmHWM") - before) / 1024.0)
