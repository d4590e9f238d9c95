#!/usr/bin/env python3
"""The cost model of docs/distributed.md: how far genhost's data parallelism scales.

One step on N ranks = compute (the rank's share of the batch, measured on this machine)
+ one allreduce of the gradients (no overlap with the backward pass). Allreduce, for S
bytes over links of bandwidth B and per-message latency a:
  ring:               2 (N-1)/N * S/B + 2 (N-1) a       (bandwidth-optimal, latency grows with N)
  Rabenseifner/tree:  2 (N-1)/N * S/B + 2 log2(N) a     (what MPI libraries switch to)
Efficiency = compute / (compute + allreduce): the fraction of ideal N-fold speed-up kept.

  python3 bench/dist/cost_model.py [--vae-rate 4000 --unet-rate 140]   (images/s of 1 rank)
"""
import argparse
import math

p = argparse.ArgumentParser()
p.add_argument("--vae-rate", type=float, default=4000.0, help="VAE images/s of one rank with 1 thread")
p.add_argument("--unet-rate", type=float, default=140.0, help="U-Net images/s of one rank with 1 thread")
a = p.parse_args()

models = [  # name, gradient bytes, per-rank batch, images/s of one rank
    ("quickstart VAE", 652824 * 4, 64, a.vae_rate),
    ("ddpm-fashion U-Net", 280177 * 4, 16, a.unet_rate),
    ("a 25M-parameter U-Net (100 MB), 10x the compute per image", 25e6 * 4, 16, a.unet_rate / 10),
]
networks = [("10 GbE TCP", 1.25e9, 20e-6), ("100 Gb/s InfiniBand", 12.5e9, 2e-6)]

for net, bw, lat in networks:
    print(f"\n{net}: B = {bw / 1e9:g} GB/s, latency {lat * 1e6:g} us")
    print("| model | compute/step | " + " | ".join(f"N={n}" for n in (8, 64, 256, 1024)) + " |")
    print("|---|--:|" + "--:|" * 4)
    for name, size, batch, rate in models:
        compute = batch / rate
        cells = []
        for n in (8, 64, 256, 1024):
            bandwidth = 2 * (n - 1) / n * size / bw
            ring = bandwidth + 2 * (n - 1) * lat
            tree = bandwidth + 2 * math.log2(n) * lat
            cells.append(f"{ring * 1e3:.1f} ms ring / {tree * 1e3:.1f} tree, {compute / (compute + ring):.0%} / {compute / (compute + tree):.0%}")
        print(f"| {name} | {compute * 1e3:.0f} ms | " + " | ".join(cells) + " |")
