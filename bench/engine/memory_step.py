#!/usr/bin/python3
"""Peak memory of three training steps of the critic in memory_step.cpp, in PyTorch;
with the argument `dcgan`, of three whole DCGAN steps (memory_step.cpp dcgan); with
`pixelcnn`, of three steps of the PixelCNN example's network (memory_step.cpp pixelcnn)."""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def status_kb(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return -1


def peak_of_three_steps(step):
    """Warms the BLAS buffers, then prints the resident set's growth over three step() calls."""
    with torch.no_grad():
        torch.ones(64, 64) @ torch.ones(64, 64)
    before = status_kb("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    for _ in range(3):
        step()
    print("peak_step_mb", (status_kb("VmHWM") - before) / 1024.0)


torch.set_num_threads(1)
torch.manual_seed(0)


def sgd(params):
    with torch.no_grad():
        for p in params:
            p -= 0.01 * p.grad


def zero_grads(params):  # the engine allocates grads at registration: so here too
    for p in params:
        if p.grad is None:
            p.grad = torch.zeros_like(p)
        p.grad.zero_()


mode = sys.argv[1] if len(sys.argv) > 1 else "critic"
if mode == "pixelcnn":
    # memory_step.cpp pixelcnn: bench/pixelcnn/torch_pixelcnn.py's network, batch 32, SGD.
    sys.path.insert(0, __file__.rsplit("/", 3)[0] + "/bench/pixelcnn")
    from torch_pixelcnn import PixelCNN
    model = PixelCNN()
    params = list(model.parameters())
    zero_grads(params)
    levels = (torch.arange(32 * 28 * 28) * 37 % 256).reshape(32, 1, 28, 28)
    x = levels.float() / 255.0

    def step():
        zero_grads(params)
        F.cross_entropy(model(x), levels).backward()
        sgd(params)
elif mode == "dcgan":
    # bench/gan/dcgan_torch.py's networks and step (SGD instead of Adam, as the C++ side).
    G = nn.Sequential(nn.ConvTranspose2d(100, 256, 7, 1, 0, bias=False), nn.BatchNorm2d(256), nn.ReLU(True),
                      nn.ConvTranspose2d(256, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.ReLU(True),
                      nn.ConvTranspose2d(128, 1, 4, 2, 1, bias=False), nn.Tanh())
    D = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True),
                      nn.Conv2d(64, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2, True),
                      nn.Conv2d(128, 1, 7, 1, 0, bias=False))
    pg, pd = list(G.parameters()), list(D.parameters())
    zero_grads(pg + pd)
    real = torch.rand(64, 1, 28, 28) * 2 - 1
    ones, zeros = torch.ones(64), torch.zeros(64)
    bce = nn.BCEWithLogitsLoss()

    def step():
        with torch.no_grad():
            fake = G(torch.randn(64, 100, 1, 1))
        zero_grads(pd)
        (bce(D(real).view(-1), ones) + bce(D(fake).view(-1), zeros)).backward()
        sgd(pd)
        zero_grads(pg)
        bce(D(G(torch.randn(64, 100, 1, 1))).view(-1), ones).backward()
        sgd(pg)
else:
    c1, c2 = nn.Conv2d(1, 64, 4, 2, 1), nn.Conv2d(64, 128, 4, 2, 1)
    bn, fc = nn.BatchNorm2d(128), nn.Linear(128 * 7 * 7, 1)
    params = [p for m in (c1, c2, bn, fc) for p in m.parameters()]
    zero_grads(params)
    x = torch.rand(128, 1, 28, 28) * 2 - 1
    target = torch.ones(128, 1)

    def step():
        zero_grads(params)
        h = F.leaky_relu(c1(x), 0.2)
        h = F.leaky_relu(bn(c2(h)), 0.2)
        F.binary_cross_entropy_with_logits(fc(h.flatten(1)), target).backward()
        sgd(params)

peak_of_three_steps(step)
