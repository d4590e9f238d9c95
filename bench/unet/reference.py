"""Speed of the genhost U-Net's PyTorch twin (torch_unet.py), with the same training
objective and DDIM sampling.

Times training (images/s) and DDIM sampling on the CPU, to compare with genhost:
    /usr/bin/python3 bench/unet/reference.py --threads 1 --steps 20
    /usr/bin/python3 bench/unet/reference.py --threads 2 --steps 20 --sample 64 --ddim-steps 50
Prints one line per measurement. Random data: the speed does not depend on the pixels.
"""
import argparse
import time

import torch
import torch.nn.functional as F

from torch_unet import UNet


def alphas_cumprod(T=1000):
    return torch.cumprod(1 - torch.linspace(1e-4, 0.02, T), 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--base", type=int, default=16)
    ap.add_argument("--mult", type=int, nargs="+", default=[1, 2, 2])
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--attn", type=int, nargs="*", default=[7])
    ap.add_argument("--head-dim", type=int, default=16)
    ap.add_argument("--sample", type=int, default=0, help="images to sample with DDIM (0 = skip)")
    ap.add_argument("--ddim-steps", type=int, default=50)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = UNet(base=a.base, mult=tuple(a.mult), layers=a.layers, attn=tuple(a.attn), head_dim=a.head_dim)
    params = sum(p.numel() for p in net.parameters())
    opt = torch.optim.Adam(net.parameters(), lr=2e-4)
    ac = alphas_cumprod()
    x0 = torch.rand(a.batch, 1, 28, 28) * 2 - 1

    def step():
        t = torch.randint(0, 1000, (a.batch,))
        eps = torch.randn_like(x0)
        at = ac[t][:, None, None, None]
        loss = F.mse_loss(net(at.sqrt() * x0 + (1 - at).sqrt() * eps, t), eps)
        opt.zero_grad()
        loss.backward()
        opt.step()

    for _ in range(2):
        step()  # warm-up
    start = time.perf_counter()
    for _ in range(a.steps):
        step()
    s = time.perf_counter() - start
    print(f"pytorch {torch.__version__} threads={a.threads} params={params} train "
          f"{a.steps * a.batch / s:.1f} images/s (batch {a.batch}, {a.steps} steps, {s:.1f} s)", flush=True)

    if a.sample:
        net.eval()
        ts = list(range(0, 1000, 1000 // a.ddim_steps))[::-1]  # leading spacing, as diffusers' DDIM
        with torch.no_grad():
            start = time.perf_counter()
            x = torch.randn(a.sample, 1, 28, 28)
            for i, t in enumerate(ts):
                eps = net(x, torch.full((a.sample,), float(t)))
                prev = ac[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0)
                x0p = ((x - (1 - ac[t]).sqrt() * eps) / ac[t].sqrt()).clamp(-1, 1)
                x = prev.sqrt() * x0p + (1 - prev).sqrt() * eps
            s = time.perf_counter() - start
        print(f"pytorch threads={a.threads} sample {a.sample} images DDIM-{a.ddim_steps}: {s:.1f} s", flush=True)


if __name__ == "__main__":
    main()
