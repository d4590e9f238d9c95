"""PyTorch side of bench_conv.cpp: the same shapes and timing (1 thread, process CPU time,
best of reps): the forward, then forward + input gradient and forward + weight gradient."""
import sys
import time

import torch
import torch.nn.functional as F

reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
torch.set_num_threads(1)
shapes = [("unet 3x3 16->16 @28x28", 64, 16, 16, 28, 3, 1, 1), ("unet 3x3 32->32 @14x14", 64, 32, 32, 14, 3, 1, 1),
          ("unet 3x3 32->32 @7x7", 64, 32, 32, 7, 3, 1, 1), ("3x3 64->64 @14x14 b128", 128, 64, 64, 14, 3, 1, 1),
          ("unet down 3x3 s2 16 @28x28", 64, 16, 16, 28, 3, 2, 1), ("critic 4x4 s2 64->128 @14x14", 64, 64, 128, 14, 4, 2, 1),
          ("dcgan D1 4x4 s2 1->64 @28x28", 64, 1, 64, 28, 4, 2, 1), ("dcgan D3 7x7 128->1 @7x7", 64, 128, 1, 7, 7, 1, 0),
          ("dcgan G1 T7x7 100->256 @1x1", 64, 100, 256, 1, 7, 1, 0, True),
          ("dcgan G2 T4x4 s2 256->128 @7x7", 64, 256, 128, 7, 4, 2, 1, True),
          ("dcgan G3 T4x4 s2 128->1 @14x14", 64, 128, 1, 14, 4, 2, 1, True),
          ("pixelcnn 1x1 64->256 @28x28", 32, 64, 256, 28, 1, 1, 0), ("pixelcnn 1x1 64->64 @28x28", 32, 64, 64, 28, 1, 1, 0)]


def best_ms(f):
    f()
    best = 1e30
    for _ in range(reps):
        c = time.process_time()
        f()
        best = min(best, time.process_time() - c)
    return best * 1e3


print(f"# torch {torch.__version__} conv, 1 thread, best of {reps}, ms (GFLOP/s)")
print(f"{'shape':30s} {'forward':>16s} {'fwd + input grad':>16s} {'fwd + weight grad':>16s}")
for name, n, c, o, h, k, stride, pad, *transposed in shapes:
    x = torch.randn(n, c, h, h)
    w = torch.randn(c, o, k, k) if transposed else torch.randn(o, c, k, k)
    conv = F.conv_transpose2d if transposed else F.conv2d
    with torch.no_grad():
        y = conv(x, w, stride=stride, padding=pad)
    gy = torch.randn_like(y)
    gflop = 2.0 * n * c * o * k * k * (h * h if transposed else y.shape[2] * y.shape[3]) / 1e9

    def fwd():
        with torch.no_grad():
            conv(x, w, stride=stride, padding=pad)

    def grad_of(inp):
        xi, wi = x.detach().requires_grad_(inp), w.detach().requires_grad_(not inp)
        return lambda: torch.autograd.grad(conv(xi, wi, stride=stride, padding=pad), [xi if inp else wi], gy)

    t = [best_ms(fwd), best_ms(grad_of(True)), best_ms(grad_of(False))]
    print(f"{name:30s} " + " ".join(f"{v:7.2f} ({gflop / v * 1e3:6.1f})" for v in t))
